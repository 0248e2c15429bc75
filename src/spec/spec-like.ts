/**
 * Whether a file that failed to load is a Slipway spec at all. A spec path can be a mistake or a
 * symlink to any file (/etc/passwd, a .env file, a key): the errors of such a file would quote
 * its content (`must be object (got "root:x:0:0:...")`), so it gets one message without content.
 */

/** A top-level key every spec has (name, version and image are required), or the spec's apiVersion. */
const SPEC_KEY = /^["']?(?:name|version|image|instance|apiVersion)["']?[ \t]*:(?:[ \t\r]|$)/m;

/** Whether the text has a top-level (column 0) key that a Slipway spec has. */
export function looksLikeSpec(text: string): boolean {
  return SPEC_KEY.test(text);
}

/** The message for a file that does not look like a spec (its content is never shown). */
export const NOT_A_SPEC = 'does not look like a Slipway spec (no top-level name, version or image key), so none of its content is shown: check that the path names a spec file (a symlink may point elsewhere)';
