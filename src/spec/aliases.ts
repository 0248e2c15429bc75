/**
 * YAML aliases, checked in one linear pass over a composed document before it is converted:
 * every alias has an anchor before it, there are at most {@link LIMITS.aliases}, and expanding
 * them neither makes the document larger than {@link LIMITS.expandedChars} characters ("billion
 * laughs") nor nests it deeper than {@link LIMITS.nestingDepth}. Each anchored node's expanded
 * size and height are computed once, when the walk leaves it, so the pass costs one visit per
 * node however many aliases there are (`alias.resolve(doc)` walks the whole document per alias).
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node } from 'yaml';
import { LIMITS, formatSize } from './limits';

/** A problem with the aliases of a document, at a source offset. */
export interface AliasProblem {
  readonly offset: number;
  readonly message: string;
}

/** The budget shared by the documents of one file. */
export class AliasBudget {
  /** Aliases seen so far. */
  aliases = 0;
  /** The anchored node each resolved alias stands for (the latest anchor of its name before it). */
  readonly targets = new Map<Alias, Node>();
  /** The file's size with the aliases seen so far expanded, in characters. */
  expanded: number;
  constructor(textLength: number) {
    this.expanded = textLength;
  }
}

interface Expansion {
  /** Characters the node takes when its aliases are expanded. */
  readonly size: number;
  /** Levels of maps and lists in it, aliases expanded. */
  readonly height: number;
}

/** The alias problems of one document (see the module comment), at most one of each kind. */
export function aliasProblems(doc: Document, budget: AliasBudget): AliasProblem[] {
  const problems: AliasProblem[] = [];
  const reported = new Set<string>();
  const report = (kind: string, offset: number, message: string) => {
    if (kind !== 'unresolved' && reported.has(kind)) return;
    reported.add(kind);
    problems.push({ offset, message });
  };
  const anchors = new Map<string, Node>(); // anchor name -> its latest node so far
  const done = new Map<Node, Expansion>(); // anchored nodes the walk has left

  /** Walks a node at `depth` (maps and lists around it); returns its extra size from aliases and its height. */
  const walk = (node: unknown, depth: number): { extra: number; height: number } => {
    if (isAlias(node)) {
      const offset = node.range?.[0] ?? 0;
      if (++budget.aliases > LIMITS.aliases) {
        report('count', offset, `YAML aliases: more than ${LIMITS.aliases} in one spec file: write the repeated values out, or split the file`);
        return { extra: 0, height: 0 };
      }
      const target = anchors.get(node.source);
      if (!target) {
        report('unresolved', offset, `YAML alias *${node.source} has no anchor before it: define &${node.source} on an earlier node, or write the value out`);
        return { extra: 0, height: 0 };
      }
      budget.targets.set(node, target);
      const expansion = done.get(target);
      if (!expansion) return { extra: 0, height: 0 }; // an alias inside its own anchor: a cycle, reported as plain data
      const extra = expansion.size - length(node);
      budget.expanded += extra;
      if (budget.expanded > LIMITS.expandedChars) {
        report('size', offset, `YAML aliases: expand this spec beyond ${formatSize(LIMITS.expandedChars)} (the limit): write the repeated values out, or repeat less`);
      }
      if (depth + expansion.height > LIMITS.nestingDepth) {
        report('depth', offset, `YAML aliases: nest maps and lists here deeper than ${LIMITS.nestingDepth} levels (the limit) once expanded: flatten the structure`);
      }
      return { extra, height: expansion.height };
    }
    if (!node || typeof node !== 'object') return { extra: 0, height: 0 };
    const anchor = (node as Node).anchor;
    if (anchor) anchors.set(anchor, node as Node);
    let extra = 0;
    let height = 0;
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        const parts = isPair(item) ? [item.key, item.value] : [item];
        // A pair in a list (`[a: b]`) is a map of one pair: one level deeper.
        const d = isPair(item) && isSeq(node) ? depth + 2 : depth + 1;
        for (const part of parts) {
          const r = walk(part, d);
          extra += r.extra;
          height = Math.max(height, r.height + (d - depth));
        }
      }
      height = Math.max(height, 1);
    } else if (!isScalar(node)) {
      return { extra: 0, height: 0 };
    }
    if (anchor) done.set(node as Node, { size: length(node as Node) + extra, height });
    return { extra, height };
  };
  walk(doc.contents, 0);
  return problems;
}

/** Characters a node takes in the source. */
function length(node: Node): number {
  return node.range ? node.range[1] - node.range[0] : 0;
}
