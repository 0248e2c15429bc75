/**
 * The limits on what a spec may make Slipway read and build in memory. Each one is far above what
 * a real service needs and far below what would exhaust memory, the call stack or CPU time; going
 * over one is a located spec error that names the limit and what to change.
 */

/** One mebibyte. */
const MiB = 1024 * 1024;

/** The limits (see the module comment). */
export const LIMITS = {
  /** Largest spec file, in bytes. */
  specFileBytes: 4 * MiB,
  /** Largest file a spec names (`config.filesFrom`), in bytes. */
  configFileBytes: 1 * MiB,
  /** Deepest nesting of maps and lists in a spec, aliases expanded. */
  nestingDepth: 64,
  /** Most YAML aliases (`*name`) in one spec file. */
  aliases: 1000,
  /** Largest size of a spec file once its aliases are expanded, in characters. */
  expandedChars: 4 * MiB,
} as const;

/** A size in words: `1 MiB`, `50.0 MiB`, `812 KiB`, `90 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= MiB) return `${Number.isInteger(bytes / MiB) ? bytes / MiB : (bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.floor(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

/**
 * Characters YAML does not allow in a stream (outside its printable set): C0 controls but tab,
 * line feed and carriage return, DEL, C1 controls but NEL, and the non-characters U+FFFE, U+FFFF.
 */
const NOT_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/;

/** The first character of a text YAML does not allow, with its offset; undefined when there is none. */
export function firstNonPrintable(text: string): { offset: number; code: number } | undefined {
  const m = NOT_PRINTABLE.exec(text);
  return m ? { offset: m.index, code: m[0].charCodeAt(0) } : undefined;
}

/** A character code as `U+0000`. */
export function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
