/**
 * The fast reader of spec files: js-yaml, about 7x faster than the `yaml` library's Document API
 * (which is half of a re-synth when nothing changed), made to give exactly the values `yaml`
 * gives, or nothing.
 *
 * `yaml` stays the authority: it reads every file the fast reader declines and every file with a
 * problem, because only its node tree can locate a finding (file:line:column). So the fast reader
 * only has to be right on valid input, and declines whatever it cannot vouch for:
 * - plain scalars resolve with `yaml`'s own YAML 1.2 core tags (js-yaml's core schema differs:
 *   it reads `0b1`, `1_000` and `+0x1` as numbers and `-.5` as a string);
 * - a key that is null, or a map or a list (`~: x`, `[a]: x`, `? {a: 1}`), which the two libraries
 *   turn into different strings;
 * - anchors, and so aliases (`yaml` caps alias expansion; js-yaml shares the objects): js-yaml
 *   reports each node's anchor, so an anchor is seen where the parser sees one, not where text
 *   such as a quoted cron schedule or `a &b` merely looks like one;
 * - directives (`%YAML 1.1` switches `yaml` to YAML 1.1 booleans), tags js-yaml does not know,
 *   empty or null documents, and `__proto__` keys;
 * - the few texts js-yaml accepts and `yaml` does not (see DECLINE), found by a fuzzer;
 * - anything js-yaml rejects.
 * test/foundation/fast-read.test.ts compares both readers on the examples, the test fixtures and
 * generated documents full of such edge cases.
 */
import { loadAll, Type, FAILSAFE_SCHEMA, type EventType, type State } from 'js-yaml';
import { Document, isScalar } from 'yaml';
import { depthGuard } from './nesting';

/** Stands for a null scalar while js-yaml reads, so a null key shows up as "[object Object]". */
const NULL_MARK: object = Object.freeze({});
const OBJECT_KEY = String({});

/** `yaml`'s core-schema tags (other than str) as js-yaml implicit types. */
const coreTypes = (new Document().schema.tags as { default?: boolean; tag: string; test?: RegExp; resolve: (s: string, onError: (m: string) => void, opts: object) => unknown }[])
  .filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test)
  .map((t, i) => new Type(`tag:slipway.dev,2026:core-${i}`, {
    kind: 'scalar',
    resolve: (s: string | null) => s !== null && t.test!.test(s),
    construct: (s: string) => {
      const v = t.resolve(s, (m) => { throw new Error(m); }, { intAsBigInt: false });
      const value = isScalar(v) ? v.value : v;
      return value === null ? NULL_MARK : value;
    },
  }));

const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: coreTypes });

/**
 * Text the fast reader leaves to `yaml`: directives (also after a byte order mark), explicit keys,
 * collections as keys, `__proto__`, and what js-yaml accepts but `yaml` rejects or reads otherwise:
 * a comment right after a flow collection or a quoted scalar (`[1]#c`, `"x"#c`) and a carriage
 * return that does not end a CRLF line break.
 */
const DECLINE = /^%|\uFEFF%|^[ \t-]*\?(?:[ \t]|$)|[\]}][ \t]*:(?:[ \t]|$)|__proto__|[\]}]#|[^\s:[{,-]["']#|\r(?!\n)/m;

/** Thrown from js-yaml's node listener at the first anchor (an alias needs one, so none can follow). */
const ANCHORED = new Error('fast-read: anchored node');
/** js-yaml's parser state, with the anchor of the node being read (missing from its typings). */
type AnchoredState = State & { readonly anchor?: string | null };
function noAnchors(event: EventType, state: State): void {
  if (event === 'close' && (state as AnchoredState).anchor != null) throw ANCHORED;
}

/**
 * The documents of a YAML stream as `yaml`'s `parseAllDocuments(...).toJS()` gives them, or
 * undefined when the fast reader cannot vouch for that (see the module comment).
 */
export function readYamlFast(text: string): unknown[] | undefined {
  if (DECLINE.test(text) || shallowFlowContinuation(text)) return undefined;
  let docs: unknown[];
  try {
    // The depth guard stops js-yaml's recursive reader at the nesting limit (see nesting.ts).
    const deep = depthGuard();
    docs = loadAll(text, undefined, { schema: SCHEMA, listener: (event, state) => { deep(event); noAnchors(event, state); } });
  } catch {
    return undefined;
  }
  if (!docs.length) return undefined;
  for (const d of docs) {
    if (d === null || d === undefined || d === NULL_MARK) return undefined;
    if (!settle(d)) return undefined;
  }
  return docs;
}

/**
 * True when a flow collection (`{`, `[`) continues on a line indented no deeper than the line it
 * opened on (a closing bracket aside): `yaml` rejects that, js-yaml reads it. Brackets are counted
 * without regard to quotes or block scalars, so this may also decline valid text (which `yaml` then
 * reads), never the reverse.
 */
function shallowFlowContinuation(text: string): boolean {
  let depth = 0;
  let openedAt = 0; // block indentation of the line where the outermost open collection started
  let lineStart = 0;
  while (lineStart < text.length) {
    let end = text.indexOf('\n', lineStart);
    if (end < 0) end = text.length;
    let indent = 0;
    while (text.charCodeAt(lineStart + indent) === 32) indent++;
    const first = text[lineStart + indent];
    if (depth > 0 && indent <= openedAt && first !== '}' && first !== ']' && lineStart + indent < end) return true;
    for (let i = lineStart + indent; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 123 || c === 91) {
        if (depth++ === 0) openedAt = blockIndent(text, lineStart + indent) - lineStart;
      } else if ((c === 125 || c === 93) && depth > 0) depth--;
    }
    lineStart = end + 1;
  }
  return false;
}

/** The column where a line's block content starts: after its indentation and any `- ` sequence indicators. */
function blockIndent(text: string, from: number): number {
  let i = from;
  while (text[i] === '-' && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
    i += 2;
    while (text[i] === ' ') i++;
  }
  return i;
}

/**
 * Replaces null marks by null in place; false when a key was not a string (js-yaml writes a null
 * key as "null", yaml as ""; a real "null" key is declined too). No node occurs twice: only an
 * alias could share one, and anchors are declined while parsing.
 */
function settle(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return true;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      if (node[i] === NULL_MARK) node[i] = null;
      else if (!settle(node[i])) return false;
    }
    return true;
  }
  const map = node as Record<string, unknown>;
  for (const k of Object.keys(map)) {
    if (k === OBJECT_KEY || k === 'null') return false;
    if (map[k] === NULL_MARK) map[k] = null;
    else if (!settle(map[k])) return false;
  }
  return true;
}
