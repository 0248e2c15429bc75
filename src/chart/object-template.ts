/**
 * Serializes one rendered Kubernetes object as a Helm template: the object's JSON is written as
 * YAML with each recorded binding replaced by its template expression. Bound fields are first
 * replaced by placeholder tokens (see tokens.ts), the YAML is written, user data's literal `{{`
 * is escaped, and the tokens are expanded at their lines' indentation.
 */
import type { Binding, Condition } from '../render/recorder';
import { goTruthy, parsePointer } from '../render/recorder';
import { valuesRef } from '../render/values-ref';
import { Tokens } from './tokens';
import { toYaml, yamlKey } from './yaml-out';
import * as s from './snippets';

/** What a template needs besides the object. `defaults` tells scalar values keys from maps. */
export interface TemplateContext {
  /** The chart name: helper templates are named `<chart>.<template>`. */
  readonly chart: string;
  readonly defaults: ReadonlyMap<string, unknown>;
}

type Json = Record<string, unknown> | unknown[];
/** The tree being bound, and the maps and lists that are this template's own copies. */
type Box = { root: Record<string, unknown>; readonly owned: Set<object> };

/** The template text of one object; `toggle` puts the whole object under a condition. */
export function objectTemplate(json: Record<string, unknown>, bindings: readonly Binding[], ctx: TemplateContext, toggle?: Condition): string {
  // Copy on write: the maps and lists on a bound path are copied (the object is shared and frozen);
  // the tree sits in a box, so even the root can be replaced by a copy.
  const box: Box = { root: json, owned: new Set() };
  const tokens = new Tokens(JSON.stringify(json));
  for (const [path, bs] of groupDeepestFirst(bindings)) bindPath(box, path, bs, tokens, ctx);
  keepListItemsOpenable(box.root, tokens);
  const body = expandTokens(escapeBraces(toYaml(box.root)), tokens);
  return toggle ? `{{- if ${s.condExpr([toggle])} }}\n${body}{{- end }}\n` : body;
}

/** Escapes literal `{{` of user data so Helm renders it as text. */
export function escapeBraces(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

/** Bindings grouped by path, deepest paths first (so a parent replaced later wins over children). */
function groupDeepestFirst(bindings: readonly Binding[]): [string, Binding[]][] {
  const groups = new Map<string, Binding[]>();
  for (const b of bindings) {
    const group = groups.get(b.path);
    if (group) group.push(b);
    else groups.set(b.path, [b]);
  }
  // A pointer's depth is its number of `/` (escaped segments hold `~1`, never `/`); the sort is stable.
  const depth = (path: string) => { let n = 0; for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) n++; return n; };
  return [...groups.entries()].map((e) => ({ e, d: depth(e[0]) })).sort((a, b) => b.d - a.d).map((x) => x.e);
}

/** Applies every binding of one path to the tree. */
function bindPath(box: Box, path: string, bs: Binding[], tokens: Tokens, ctx: TemplateContext): void {
  const segs = parsePointer(path);
  const key = segs[segs.length - 1];
  const [holder, holderKey, parent] = navigate(box, segs, path);
  const { value, block, include, merge, conds } = sortBindings(bs, path);
  const current = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  const valueExpr = value && (value.kind === 'scalar' ? valuesRef(value.key) : value.kind === 'expr' ? value.expr : '');

  if (block && (include || merge)) throw new Error(`internal: ${path} is bound both as a values block and otherwise`);
  const wholeField = include || block || (merge && !goTruthy(current)) || (valueExpr && conds.length);
  if (wholeField) {
    if (Array.isArray(parent)) throw new Error(`internal: cannot bind list element ${path} as a whole field`);
    const k = yamlKey(key);
    let lines: (indent: number) => string[];
    if (include) {
      const list = Array.isArray(current);
      lines = (n) => s.includeField(k, `${ctx.chart}.${include.template}`, n, { list, lowKey: include.extraKey, highKey: merge?.key, fixed: include.fixed });
    } else if (block) {
      const dflt = ctx.defaults.get(block.key);
      const scalar = dflt === null || typeof dflt !== 'object';
      lines = (n) => s.valuesField(k, block.key, n, { omitEmpty: block.empty !== undefined, scalar, without: block.without });
    } else if (merge) {
      lines = (n) => s.valuesField(k, merge.key, n, { omitEmpty: true, scalar: false });
    } else {
      lines = (n) => s.scalarField(k, valueExpr!, n);
    }
    replaceKey(box, holder, holderKey, parent, key, [[tokens.lines('field', (n) => s.wrapIf(conds, n, lines(n))), '']]);
    return;
  }
  if (merge) {
    const mergeKey = merge.key;
    const tok = tokens.lines('append', (n) => [`${' '.repeat(n)}${s.appendEntries(mergeKey, n)}`]);
    const target = own(box, parent, key);
    if (Array.isArray(target)) target.push(tok);
    else (target as Record<string, unknown>)[tok] = '';
  } else if (valueExpr) {
    const tok = tokens.inline(s.inlineValue(valueExpr));
    if (Array.isArray(parent)) parent[Number(key)] = tok;
    else parent[key] = tok;
  }
  if (conds.length && current !== undefined) {
    if (Array.isArray(parent)) throw new Error(`internal: cannot make list element ${path} conditional`);
    const begin = tokens.lines('begin', (n) => s.beginIf(conds, n));
    const end = tokens.lines('end', (n) => s.endIf(n));
    replaceKey(box, holder, holderKey, parent, key, [[begin, ''], [key, parent[key]], [end, '']]);
  }
}

type Of<K extends Binding['kind']> = Extract<Binding, { kind: K }>;

/** The bindings of one path by kind: the last scalar/expr wins; block, include and merge occur at most once. */
function sortBindings(bs: readonly Binding[], path: string) {
  let value: Of<'scalar'> | Of<'expr'> | undefined;
  let block: Of<'block'> | undefined;
  let include: Of<'include'> | undefined;
  let merge: Of<'merge'> | undefined;
  const conds: Condition[] = [];
  const once = <T extends Binding>(prior: T | undefined, b: T): T => {
    if (prior) throw new Error(`internal: ${path} has more than one ${b.kind} binding`);
    return b;
  };
  for (const b of bs) {
    switch (b.kind) {
      case 'scalar': case 'expr': value = b; break;
      case 'block': block = once(block, b); break;
      case 'include': include = once(include, b); break;
      case 'merge': merge = once(merge, b); break;
      case 'when': conds.push(b.condition); break;
    }
  }
  return { value, block, include, merge, conds };
}

/** The object holding the field at `segs` (the last segment), with its own holder and key there; all owned. */
function navigate(box: Box, segs: string[], path: string): [Json, string, Json] {
  let holder: Json = box as unknown as Json;
  let holderKey = 'root';
  let cur = own(box, holder, holderKey);
  for (let i = 0; i < segs.length - 1; i++) {
    if (!cur || typeof cur !== 'object') break;
    holder = cur as Json;
    holderKey = segs[i];
    cur = own(box, holder, holderKey);
  }
  if (!cur || typeof cur !== 'object') throw new Error(`internal: no object holds the bound field ${path}`);
  return [holder, holderKey, cur as Json];
}

/** `holder[key]`, replaced first by a copy of its own when it is a map or list not yet copied. */
function own(box: Box, holder: Json, key: string): unknown {
  const v = (holder as Record<string, unknown>)[key];
  if (!v || typeof v !== 'object' || box.owned.has(v)) return v;
  const copy = Array.isArray(v) ? v.slice() : { ...(v as Record<string, unknown>) };
  box.owned.add(copy);
  (holder as Record<string, unknown>)[key] = copy;
  return copy;
}

/**
 * Replaces `key` of `obj` by `entries`, keeping the key order (appended when absent): a new map
 * takes `obj`'s place in `holder` (rebuilding in place with `delete` is several times slower).
 */
function replaceKey(box: Box, holder: Json, holderKey: string, obj: Record<string, unknown>, key: string, entries: [string, unknown][]): void {
  const next: Record<string, unknown> = {};
  let done = false;
  for (const k of Object.keys(obj)) {
    if (k === key) {
      for (const [ek, ev] of entries) next[ek] = ev;
      done = true;
    } else next[k] = obj[k];
  }
  if (!done) for (const [ek, ev] of entries) next[ek] = ev;
  box.owned.add(next);
  (holder as Record<string, unknown>)[holderKey] = next;
}

/**
 * A map that is a list item is written `- firstKey: ...`; a whole-line token there would lose
 * its indentation. Moves the first plain key that is not inside a condition to the front.
 * (Where none exists, expandTokens writes `-` on a line of its own.)
 */
function keepListItemsOpenable(node: unknown, tokens: Tokens): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item = node[i];
      if (item && typeof item === 'object' && !Array.isArray(item)) {
        // Only an item holding a token changes, and it is on a bound path: its list is owned.
        const moved = withOpenerFirst(item as Record<string, unknown>, tokens);
        if (moved !== item) node[i] = moved;
      }
      keepListItemsOpenable(node[i], tokens);
    }
  } else if (node && typeof node === 'object') {
    for (const v of Object.values(node)) keepListItemsOpenable(v, tokens);
  }
}

/** The list item with its opener first (a new map), or the item itself when it needs no move. */
function withOpenerFirst(item: Record<string, unknown>, tokens: Tokens): Record<string, unknown> {
  const keys = Object.keys(item);
  if (!keys.length || !tokens.isLineToken(keys[0])) return item;
  let depth = 0;
  const opener = keys.find((k) => {
    const kind = tokens.get(k)?.kind;
    if (kind === 'begin') depth++;
    else if (kind === 'end') depth--;
    return depth === 0 && !tokens.isLineToken(k);
  });
  if (opener === undefined) return item;
  const moved: Record<string, unknown> = { [opener]: item[opener] };
  for (const k of keys) if (k !== opener) moved[k] = item[k];
  return moved;
}

/** A line holding only a whole-line token: a map key (`tok: ""`) or a list item (`- tok`). */
const LINE_TOKEN = /^( *)(- )?([A-Za-z0-9]+)(: "")?$/;

/** Expands the tokens of serialized YAML into template text. */
function expandTokens(text: string, tokens: Tokens): string {
  const out: string[] = [];
  const pattern = tokens.pattern();
  for (const line of text.split('\n')) {
    const found = line.includes(tokens.prefix) ? line.match(pattern) : null;
    if (!found) {
      out.push(line);
      continue;
    }
    const def = tokens.get(found[0])!;
    if (def.kind === 'inline') {
      out.push(line.replace(pattern, (t) => tokens.get(t)!.inline!));
      continue;
    }
    const m = LINE_TOKEN.exec(line);
    if (!m || m[3] !== found[0] || found.length > 1) throw new Error(`internal: token line not understood: ${line}`);
    let indent = m[1].length;
    if (m[2] && def.kind !== 'append') {
      out.push(`${m[1]}-`);
      indent += 2;
    }
    out.push(...def.lines!(indent));
  }
  return out.join('\n');
}
