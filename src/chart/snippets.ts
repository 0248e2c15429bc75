/**
 * The Go-template snippets a recorded binding expands to. Every function returns whole lines at
 * `indent` columns; `key` is the YAML-ready map key. Every value, scalar, map or list, is written
 * with `toJson`: JSON is YAML whose keys are all double-quoted, so strings, numbers and booleans
 * round-trip exactly and no key can mean something else (`toYaml` writes a `<<` key bare, which
 * YAML readers take as a merge key). {@link appendEntries} writes each entry with `toJson` too.
 */
import type { Condition } from '../render/recorder';
import { valuesRef } from '../render/values-ref';

const pad = (n: number) => ' '.repeat(n);

/** The Go condition for a recorded Condition (several are and-ed). */
export function condExpr(conds: readonly Condition[]): string {
  const one = (c: Condition) => (c.negate ? `not ${valuesRef(c.key)}` : valuesRef(c.key));
  return conds.length === 1 ? one(conds[0]) : `and ${conds.map((c) => `(${one(c)})`).join(' ')}`;
}

/** Wraps lines in `{{- if <conds> }}` ... `{{- end }}` (no wrapping without conditions). */
export function wrapIf(conds: readonly Condition[], indent: number, lines: string[]): string[] {
  if (!conds.length) return lines;
  return [`${pad(indent)}{{- if ${condExpr(conds)} }}`, ...lines, `${pad(indent)}{{- end }}`];
}

/** A scalar inline: the text that replaces an inline token. */
export function inlineValue(expr: string): string {
  return `{{ ${expr} | toJson }}`;
}

/** `key: <scalar>` on one line. */
export function scalarField(key: string, expr: string, indent: number): string[] {
  return [`${pad(indent)}${key}: ${inlineValue(expr)}`];
}

/**
 * `key:` followed by the YAML of a values map/list. With `omitEmpty`, the field is left out when
 * the value is empty (Go-template falsy). A scalar-typed key is written inline. With `without`,
 * those keys of the map are left out (sprig `omit`).
 */
export function valuesField(key: string, valuesKey: string, indent: number, opts: { omitEmpty: boolean; scalar: boolean; without?: readonly string[] }): string[] {
  const ref = opts.without?.length ? `(omit ${valuesRef(valuesKey)} ${opts.without.map((k) => JSON.stringify(k)).join(' ')})` : valuesRef(valuesKey);
  const i = pad(indent);
  if (!opts.omitEmpty) {
    return opts.scalar ? scalarField(key, ref, indent) : [`${i}${key}:`, `${i}  {{- toJson ${ref} | nindent ${indent + 2} }}`];
  }
  const body = opts.scalar ? [`${i}${key}: {{ toJson . }}`] : [`${i}${key}:`, `${i}  {{- toJson . | nindent ${indent + 2} }}`];
  return [`${i}{{- with ${ref} }}`, ...body, `${i}{{- end }}`];
}

/**
 * `key:` followed by a helper template's output. For a map, `lowKey` entries (e.g. commonLabels)
 * are overridden by the helper's and `highKey` entries (e.g. podLabels) override them, as the
 * object spreads `{ ...low, ...helper, ...high }` in the renderer. For a list, `highKey` entries
 * are appended.
 */
export function includeField(key: string, template: string, indent: number, opts: { list: boolean; lowKey?: string; highKey?: string; fixed?: Readonly<Record<string, string>> }): string[] {
  const i = pad(indent);
  const n = indent + 2;
  const call = `include ${JSON.stringify(template)} $`;
  if (opts.list) {
    return [`${i}${key}:`, `${i}  {{- ${call} | nindent ${n} }}`, ...(opts.highKey ? [`${i}  ${appendEntries(opts.highKey, n)}`] : [])];
  }
  if (!opts.lowKey && !opts.highKey && !opts.fixed) return [`${i}${key}:`, `${i}  {{- ${call} | nindent ${n} }}`];
  const maps = [
    ...(opts.lowKey ? [`(${valuesRef(opts.lowKey)} | default dict)`] : []),
    `(${call} | fromYaml)`,
    // Fixed entries as a Go string literal of JSON (JSON's string escapes are Go's; no template syntax is read inside a literal).
    ...(opts.fixed ? [`(fromJson ${goStringLiteral(JSON.stringify(opts.fixed))})`] : []),
    ...(opts.highKey ? [`(${valuesRef(opts.highKey)} | default dict)`] : []),
  ];
  return [`${i}${key}:`, `${i}  {{- toJson (mergeOverwrite (dict) ${maps.join(' ')}) | nindent ${n} }}`];
}

/**
 * The entries of a values map/list, appended after rendered entries at `indent` (one line): one
 * `- <json>` line per list item, one `<json key>: <json value>` line per map entry (keys sorted).
 */
export function appendEntries(valuesKey: string, indent: number): string {
  const list = `{{- range . }}{{ printf "- %s" (toJson .) | nindent ${indent} }}{{- end }}`;
  const map = `{{- range $k, $v := . }}{{ printf "%s: %s" (toJson $k) (toJson $v) | nindent ${indent} }}{{- end }}`;
  return `{{- with ${valuesRef(valuesKey)} }}{{- if kindIs "slice" . }}${list}{{- else }}${map}{{- end }}{{- end }}`;
}

/** `{{- if }}` / `{{- end }}` lines around a conditional field. */
export function beginIf(conds: readonly Condition[], indent: number): string[] {
  return [`${pad(indent)}{{- if ${condExpr(conds)} }}`];
}
export function endIf(indent: number): string[] {
  return [`${pad(indent)}{{- end }}`];
}

/** A Go interpreted string literal of `text`: `"` and `\\` escaped, control characters as \\xNN, every non-ASCII character as \\uXXXX or \\UXXXXXXXX (nothing in it is read as template syntax). */
export function goStringLiteral(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp > 0x7e) out += cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : cp >= 0xd800 && cp <= 0xdfff ? '\\ufffd' : `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
