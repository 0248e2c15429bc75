/** Where this Slipway package lives on disk, and paths of the docs it ships. */
import { join, relative } from 'node:path';

/** The root of the Slipway package that is running (the directory of its package.json). */
export const PACKAGE_ROOT = join(__dirname, '..', '..');

/**
 * A shipped doc as a path the user can open from the current directory, e.g.
 * `node_modules/slipway/docs/cli.md` in a scaffolded repository, `docs/cli.md` in a checkout.
 */
export function shippedDoc(rel: string, cwd = process.cwd()): string {
  const full = join(PACKAGE_ROOT, 'docs', rel);
  const r = relative(cwd, full);
  return r && !r.startsWith('..') ? r : full;
}
