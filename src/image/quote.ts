/**
 * Quoting for the three languages a Dockerfile mixes: Dockerfile words (LABEL/ENV values), POSIX
 * shell words (RUN) and exec-form JSON arrays (ENTRYPOINT/CMD).
 */

/** A double-quoted Dockerfile value: `"`, `\` and `$` escaped so nothing is expanded. */
export function dq(value: string): string {
  return `"${value.replace(/\s+/g, ' ').replace(/[\\"$]/g, '\\$&')}"`;
}

/** A POSIX shell word: unquoted when it is plainly safe, else single-quoted. */
export function shq(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Exec form (`["a", "b"]`): no shell involved, which a distroless image does not have. */
export function execForm(argv: readonly string[]): string {
  return `[${argv.map((a) => JSON.stringify(a)).join(', ')}]`;
}

/** Orders [key, value] entries by key, by code unit (locale-independent, so output is the same everywhere). */
export function byKey(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}
