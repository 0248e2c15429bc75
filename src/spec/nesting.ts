/**
 * Nesting depth of a YAML text, measured before anything recursive reads it: the `yaml` library
 * composes documents recursively, so a deeply nested text (`[[[[...`, a 50 MB spec) would end in
 * "Maximum call stack size exceeded". The concrete syntax tree of `yaml`'s Parser is built with an
 * explicit stack; walking it with one too measures any depth in linear time.
 */
import { Parser, type CST } from 'yaml';
import { LIMITS } from './limits';

/** The offset of the first map or list nested deeper than `max` levels, or undefined. */
export function tooDeepAt(text: string, max = LIMITS.nestingDepth): number | undefined {
  const stack: [CST.Token | undefined, number][] = [];
  for (const token of new Parser().parse(text)) {
    stack.push([token, 0]);
    while (stack.length) {
      const [t, depth] = stack.pop()!;
      if (!t) continue;
      switch (t.type) {
        case 'document':
          stack.push([t.value, depth]);
          break;
        case 'block-map':
        case 'block-seq':
        case 'flow-collection': {
          const d = depth + 1;
          if (d > max) return t.offset;
          // `[a: b]`: a flow list item with a key becomes a map of one pair, one level deeper.
          const pairInSeq = t.type === 'flow-collection' && t.start.source === '[';
          for (const item of t.items) {
            const inner = pairInSeq && 'sep' in item && item.sep ? d + 1 : d;
            if (inner > max) return t.offset;
            if ('key' in item) stack.push([item.key ?? undefined, inner]);
            stack.push([item.value, inner]);
          }
          break;
        }
        default:
          break;
      }
    }
  }
  return undefined;
}

/** Thrown from js-yaml's node listener when nodes nest deeper than the limit (the fast reader then declines). */
export const TOO_DEEP = new Error('fast-read: nested too deeply');

/**
 * A js-yaml listener that throws {@link TOO_DEEP} past the nesting limit, before its recursive
 * reader can exhaust the stack (a map or list at the limit holds scalars one node deeper).
 */
export function depthGuard(max = LIMITS.nestingDepth): (event: string) => void {
  let depth = 0;
  return (event) => {
    if (event === 'open') {
      if (++depth > max + 1) throw TOO_DEEP;
    } else if (event === 'close') depth--;
  };
}
