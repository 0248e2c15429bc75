import { Document, stringify } from 'yaml';

/**
 * A fast emitter for plain JSON data (maps, lists, strings, finite numbers, booleans, null) whose
 * output is byte-identical to the `yaml` library's with `{ lineWidth: 0, aliasDuplicateObjects:
 * false }` (and, with `quote`, to marking those strings' scalars QUOTE_DOUBLE before printing).
 *
 * Serializing through the library builds a node tree per document and dominated the synth profile
 * (about 40% of the time at 1000 services). This emitter writes block YAML directly and covers the
 * shapes Kubernetes objects and chart files have; anything it is not certain to print exactly
 * like the library (multi-line strings, escapes, non-finite numbers, unusual keys) makes it give
 * up on the whole value, and the caller uses the library, so the output never depends on the path.
 */
export const YAML_OPTIONS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

/** Options of {@link emitYaml}. */
export interface EmitOptions {
  /** Strings (values and keys) to write double-quoted, as a QUOTE_DOUBLE scalar type does. */
  readonly quote?: (s: string) => boolean;
}

/** Serializes `value` as one YAML document (ends with a newline), like `yaml.stringify` with YAML_OPTIONS. */
export function toYaml(value: unknown): string {
  return emitYaml(value) ?? stringify(value, YAML_OPTIONS);
}

/** The fast path alone: the document text, or undefined when the library must write it. */
export function emitYaml(value: unknown, opts: EmitOptions = {}): string | undefined {
  const e = emitterFor(opts.quote);
  const out: string[] = [];
  try {
    const s = e.scalar(value);
    if (s !== undefined) out.push(s, '\n');
    else if (isEmpty(value as object)) out.push(Array.isArray(value) ? '[]\n' : '{}\n');
    else e.collection(value as object, '', out, true);
  } catch (err) {
    if (err === FALLBACK) return undefined;
    throw err;
  }
  return out.join('');
}

const FALLBACK = new Error('fast-yaml: use the library');

/** Tags of the core schema other than str: a plain scalar they match would not read back as a string. */
const nonStringTags: RegExp[] = (new Document().schema.tags as { default?: boolean; tag: string; test?: RegExp }[])
  .filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test)
  .map((t) => t.test!);

/** What the library refuses to print plain (its own rule), plus document markers and line breaks. */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$|^(?:---|\.\.\.)|\n/;
/** Single-line printable ASCII: quoted, such a string is escaped as JSON escapes it, and never folded. */
const PRINTABLE = /^[\x20-\x7e]*$/;

/** Control characters and unpaired surrogates: the library always double-quotes (and escapes) them. */
const NEEDS_ESCAPE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;

const plainSafe = (s: string) => s !== '' && !NOT_PLAIN.test(s) && !NEEDS_ESCAPE.test(s) && !nonStringTags.some((re) => re.test(s));
/**
 * A quoted scalar: as the library's QUOTE_DOUBLE type when `forced`, else as its quotedString
 * picks (single quotes for a string with `"` but no `'`, double quotes otherwise).
 */
const quoted = (s: string, forced: boolean) => {
  if (!PRINTABLE.test(s) || /^(?:---|\.\.\.)/.test(s)) throw FALLBACK;
  if (!forced && s.includes('"') && !s.includes("'")) return `'${s}'`;
  return JSON.stringify(s);
};
const isEmpty = (v: object) => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);

interface Emitter {
  scalar(v: unknown): string | undefined;
  collection(v: object, indent: string, out: string[], first: boolean): void;
}

const emitters = new Map<((s: string) => boolean) | undefined, Emitter>();

function emitterFor(quote: ((s: string) => boolean) | undefined): Emitter {
  let e = emitters.get(quote);
  if (!e) {
    e = makeEmitter(quote);
    if (emitters.size < 16) emitters.set(quote, e);
  }
  return e;
}

function makeEmitter(quote: ((s: string) => boolean) | undefined): Emitter {
  const cache = new Map<string, string>();
  const str = (s: string): string => {
    let out = cache.get(s);
    if (out !== undefined) return out;
    out = quote?.(s) ? quoted(s, true) : plainSafe(s) ? s : quoted(s, false);
    if (cache.size < 20000) cache.set(s, out);
    return out;
  };
  const key = (k: string): string => {
    if (k.length > 1000) throw FALLBACK;
    if (quote?.(k)) return quoted(k, true);
    if (!plainSafe(k)) throw FALLBACK;
    return k;
  };
  const scalar = (v: unknown): string | undefined => {
    switch (typeof v) {
      case 'string': return str(v);
      case 'number': if (!Number.isFinite(v) || Object.is(v, -0)) throw FALLBACK; return JSON.stringify(v);
      case 'boolean': return v ? 'true' : 'false';
      case 'object': return v === null ? 'null' : undefined;
      default: throw FALLBACK;
    }
  };
  /** Writes a collection's lines at `indent`; with `first`, the caller has written the first line's indent. */
  const collection = (v: object, indent: string, out: string[], first: boolean): void => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (i > 0 || !first) out.push(indent);
        out.push('- ');
        const item = v[i];
        const s = scalar(item);
        if (s !== undefined) out.push(s, '\n');
        else if (isEmpty(item as object)) out.push(Array.isArray(item) ? '[]\n' : '{}\n');
        else collection(item as object, `${indent}  `, out, true);
      }
      return;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw FALLBACK;
    let i = 0;
    for (const k of Object.keys(v)) {
      const item = (v as Record<string, unknown>)[k];
      if (item === undefined) throw FALLBACK;
      if (i++ > 0 || !first) out.push(indent);
      out.push(key(k), ':');
      const s = scalar(item);
      if (s !== undefined) out.push(' ', s, '\n');
      else if (isEmpty(item as object)) out.push(Array.isArray(item) ? ' []\n' : ' {}\n');
      else {
        // Maps and lists under a key are indented one step (indentSeq: true).
        out.push('\n');
        collection(item as object, `${indent}  `, out, false);
      }
    }
  };
  return { scalar, collection };
}
