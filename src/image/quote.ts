/**
 * The only ways a value enters a Dockerfile. A Dockerfile mixes four languages: Dockerfile words
 * (`ARG`/`ENV`/`LABEL`/`WORKDIR` values, which BuildKit unquotes and `$`-expands), POSIX shell words
 * (`RUN`), exec-form JSON arrays (`ENTRYPOINT`/`CMD`) and `#` comments; each has one function here.
 * A line break inside any of them would start a new instruction, so every function either encodes
 * it (JSON, comments) or refuses it: the spec schema (`OneLine` and friends in src/spec/types.ts)
 * refuses such values with a located error first, so a refusal here is a bug, not bad input.
 */

/** Characters that end a line for some Dockerfile reader, and other control characters. */
const LINE_BREAKING = /[\x00-\x1f\x7f\u0085\u2028\u2029]/;
const LINE_BREAKING_ALL = /[\x00-\x1f\x7f\u0085\u2028\u2029]/g;

/** Characters that need no quoting in a Dockerfile word nor in a shell word. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./~-]+$/;

/** Throws when `value` could break a line: the schema should have refused it. */
function oneLine(value: string, context: string): string {
  if (LINE_BREAKING.test(value)) {
    throw new Error(`internal error: ${JSON.stringify(value)} reached a Dockerfile ${context} with a control character; the spec schema should have refused it`);
  }
  return value;
}

/**
 * A double-quoted Dockerfile value (`ARG`/`ENV`/`LABEL`/`WORKDIR`): `"`, `\` and `$` escaped, so
 * BuildKit's unquoting gives back exactly `value` and expands no variable.
 */
export function dq(value: string): string {
  return `"${oneLine(value, 'value').replace(/[\\"$]/g, '\\$&')}"`;
}

/** A Dockerfile word (a `LABEL` key, a `WORKDIR` path): bare when plainly safe, else {@link dq}. */
export function dockerWord(value: string): string {
  return PLAIN.test(value) && !value.startsWith('-') ? value : dq(value);
}

/**
 * An argument of an instruction that takes no quoting (`FROM` image, `COPY` paths, stage names):
 * only letters, digits and `_ @ % + = : , . / ~ -`, plus the build-argument references
 * `${TARGETOS}`, `${TARGETARCH}` and `${TARGETVARIANT}` (expanded per platform). The schema's
 * patterns (`ImageRef`, `ContextPath`, `FileName`, `StageName`) only let such values through.
 */
export function dockerArg(value: string): string {
  const rest = value.replace(/\$\{TARGET(OS|ARCH|VARIANT)\}/g, '');
  if (value === '' || value.startsWith('-') || (rest !== '' && !PLAIN.test(rest))) {
    throw new Error(`internal error: ${JSON.stringify(value)} cannot be written unquoted in a Dockerfile instruction; the spec schema should have refused it`);
  }
  return value;
}

/** A POSIX shell word (`RUN`): unquoted when it is plainly safe, else single-quoted. */
export function shq(word: string): string {
  if (PLAIN.test(oneLine(word, 'shell word'))) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Exec form (`["a", "b"]`): no shell involved (a distroless image has none). JSON escapes every
 * control character; U+0085, U+2028 and U+2029 are escaped too, so the line stays one line for
 * every reader.
 */
export function execForm(argv: readonly string[]): string {
  return `[${argv.map((a) => JSON.stringify(a).replace(/[\u0085\u2028\u2029]/g, unicodeEscape)).join(', ')}]`;
}

/** A `# comment` line: control characters are written as `\uXXXX`, so a value cannot end it. */
export function comment(text: string): string {
  const t = text.replace(LINE_BREAKING_ALL, unicodeEscape);
  return t ? `# ${t}` : '#';
}

function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Orders [key, value] entries by key, by code unit (locale-independent, so output is the same everywhere). */
export function byKey(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
