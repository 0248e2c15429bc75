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

/** The template text of one object; `toggle` puts the whole object under a condition. */
export function objectTemplate(json: Record<string, unknown>, bindings: readonly Binding[], ctx: TemplateContext, toggle?: Condition): string {
  const data = JSON.stringify(json);
  const tree = JSON.parse(data) as Record<string, unknown>;
  const tokens = new Tokens(data);
  for (const [path, bs] of groupDeepestFirst(bindings)) bindPath(tree, path, bs, tokens, ctx);
  keepListItemsOpenable(tree, tokens);
  const body = expandTokens(escapeBraces(toYaml(tree)), tokens);
  return toggle ? `{{- if ${s.condExpr([toggle])} }}\n${body}{{- end }}\n` : body;
}

/** Escapes literal `{{` of user data so Helm renders it as text. */
export function escapeBraces(text: string): string {
  return text.replace(/\{\{/g, '{{ "{{" }}');
}

/** Bindings grouped by path, deepest paths first (so a parent replaced later wins over children). */
function groupDeepestFirst(bindings: readonly Binding[]): [string, Binding[]][] {
  const groups = new Map<string, Binding[]>();
  for (const b of bindings) groups.set(b.path, [...(groups.get(b.path) ?? []), b]);
  return [...groups.entries()].map((e, i) => ({ e, i, depth: parsePointer(e[0]).length }))
    .sort((a, b) => b.depth - a.depth || a.i - b.i).map((x) => x.e);
}

/** Applies every binding of one path to the tree. */
function bindPath(tree: Json, path: string, bs: Binding[], tokens: Tokens, ctx: TemplateContext): void {
  const segs = parsePointer(path);
  const key = segs[segs.length - 1];
  const parent = navigate(tree, segs.slice(0, -1), path);
  const value = [...bs].reverse().find((b) => b.kind === 'scalar' || b.kind === 'expr');
  const block = only(bs, 'block', path);
  const include = only(bs, 'include', path);
  const merge = only(bs, 'merge', path);
  const conds = bs.filter((b): b is Extract<Binding, { kind: 'when' }> => b.kind === 'when').map((b) => b.condition);
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
      lines = (n) => s.includeField(k, `${ctx.chart}.${include.template}`, n, { list, lowKey: include.extraKey, highKey: merge?.key });
    } else if (block) {
      const dflt = ctx.defaults.get(block.key);
      const scalar = dflt === null || typeof dflt !== 'object';
      lines = (n) => s.valuesField(k, block.key, n, { omitEmpty: block.empty !== undefined, scalar });
    } else if (merge) {
      lines = (n) => s.valuesField(k, merge.key, n, { omitEmpty: true, scalar: false });
    } else {
      lines = (n) => s.scalarField(k, valueExpr!, n);
    }
    replaceKey(parent, key, [[tokens.lines('field', (n) => s.wrapIf(conds, n, lines(n))), '']]);
    return;
  }
  if (merge) {
    const mergeKey = merge.key;
    const tok = tokens.lines('append', (n) => [`${' '.repeat(n)}${s.appendEntries(mergeKey, n)}`]);
    if (Array.isArray(current)) current.push(tok);
    else (current as Record<string, unknown>)[tok] = '';
  } else if (valueExpr) {
    const tok = tokens.inline(s.inlineValue(valueExpr));
    if (Array.isArray(parent)) parent[Number(key)] = tok;
    else parent[key] = tok;
  }
  if (conds.length && current !== undefined) {
    if (Array.isArray(parent)) throw new Error(`internal: cannot make list element ${path} conditional`);
    const begin = tokens.lines('begin', (n) => s.beginIf(conds, n));
    const end = tokens.lines('end', (n) => s.endIf(n));
    replaceKey(parent, key, [[begin, ''], [key, parent[key]], [end, '']]);
  }
}

function only<K extends Binding['kind']>(bs: Binding[], kind: K, path: string): Extract<Binding, { kind: K }> | undefined {
  const found = bs.filter((b) => b.kind === kind);
  if (found.length > 1) throw new Error(`internal: ${path} has ${found.length} ${kind} bindings`);
  return found[0] as Extract<Binding, { kind: K }> | undefined;
}

function navigate(tree: Json, segs: string[], path: string): Record<string, unknown> | unknown[] {
  let cur: unknown = tree;
  for (const seg of segs) {
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[seg] : undefined;
  }
  if (!cur || typeof cur !== 'object') throw new Error(`internal: no object holds the bound field ${path}`);
  return cur as Json;
}

/** Replaces `key` of `obj` in place by `entries`, keeping the key order (appended when absent). */
function replaceKey(obj: Record<string, unknown>, key: string, entries: [string, unknown][]): void {
  const before = Object.entries(obj);
  for (const k of Object.keys(obj)) delete obj[k];
  let done = false;
  for (const [k, v] of before) {
    if (k === key) {
      entries.forEach(([ek, ev]) => (obj[ek] = ev));
      done = true;
    } else obj[k] = v;
  }
  if (!done) entries.forEach(([ek, ev]) => (obj[ek] = ev));
}

/**
 * A map that is a list item is written `- firstKey: ...`; a whole-line token there would lose
 * its indentation. Moves the first plain key that is not inside a condition to the front.
 * (Where none exists, expandTokens writes `-` on a line of its own.)
 */
function keepListItemsOpenable(node: unknown, tokens: Tokens): void {
  if (Array.isArray(node)) {
    for (const item of node) {
      if (item && typeof item === 'object' && !Array.isArray(item)) moveOpenerFirst(item as Record<string, unknown>, tokens);
      keepListItemsOpenable(item, tokens);
    }
  } else if (node && typeof node === 'object') {
    for (const v of Object.values(node)) keepListItemsOpenable(v, tokens);
  }
}

function moveOpenerFirst(item: Record<string, unknown>, tokens: Tokens): void {
  const keys = Object.keys(item);
  if (!keys.length || !tokens.isLineToken(keys[0])) return;
  let depth = 0;
  const opener = keys.find((k) => {
    const kind = tokens.get(k)?.kind;
    if (kind === 'begin') depth++;
    else if (kind === 'end') depth--;
    return depth === 0 && !tokens.isLineToken(k);
  });
  if (opener === undefined) return;
  const entries = Object.entries(item);
  for (const k of keys) delete item[k];
  item[opener] = entries.find(([k]) => k === opener)![1];
  for (const [k, v] of entries) if (k !== opener) item[k] = v;
}

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
    const m = new RegExp(`^( *)(- )?${found[0]}(: "")?$`).exec(line);
    if (!m || found.length > 1) throw new Error(`internal: token line not understood: ${line}`);
    let indent = m[1].length;
    if (m[2] && def.kind !== 'append') {
      out.push(`${m[1]}-`);
      indent += 2;
    }
    out.push(...def.lines!(indent));
  }
  return out.join('\n');
}
