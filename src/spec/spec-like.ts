/**
 * Whether a file that failed to load is a Slipway spec at all. A spec path can be a mistake or a
 * symlink to any file (/etc/passwd, a .env file, a key, a compose file): the errors of such a
 * file would quote its content (`must be object (got "root:x:0:0:...")`), so it gets one message
 * without content instead.
 */

/** A top-level (column 0) key of a spec: name, version and image are required. */
const SPEC_KEY = /^["']?(name|version|image)["']?[ \t]*:(?:[ \t\r]|$)/gm;
/** A top-level Slipway apiVersion. */
const SLIPWAY_API = /^["']?apiVersion["']?[ \t]*:[ \t]*["']?slipway\.dev\//m;

/** Whether the text declares a Slipway apiVersion, or has at least two of the keys name, version and image at the top level. */
export function looksLikeSpec(text: string): boolean {
  if (SLIPWAY_API.test(text)) return true;
  const keys = new Set<string>();
  for (const m of text.matchAll(SPEC_KEY)) {
    keys.add(m[1]);
    if (keys.size >= 2) return true;
  }
  return false;
}

/** The message for a file that does not look like a spec (its content is never shown). */
export const NOT_A_SPEC = 'does not look like a Slipway spec (it has neither apiVersion: slipway.dev/... nor two of the top-level keys name, version and image), so none of its content is shown: check that the path names a spec file (a symlink may point elsewhere)';
