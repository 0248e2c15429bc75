/** Real paths: what a guard must compare (a symlink can make two different strings one directory). */
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * The real path `p` names, resolved as the kernel would: component by component from the
 * current directory, each existing component through its symlinks (`link/..` is the parent of
 * the link's target, not the directory holding the link); components that do not exist yet are
 * appended as they are, and `..` after one removes it (as `mkdir -p` does).
 */
export function realPath(p: string, cwd = process.cwd()): string {
  let current = realpathSync(isAbsolute(p) ? sep : cwd);
  for (const part of p.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      current = dirname(current);
      continue;
    }
    const next = join(current, part);
    // Every component is looked up, also after a missing one (`missing/../link` is `link`, resolved):
    // the result has no symlink in any existing prefix, so the kernel resolves it to itself.
    try {
      lstatSync(next);
    } catch {
      current = next;
      continue;
    }
    try {
      current = realpathSync(next);
    } catch {
      current = next; // a dangling or looping link: itself (never written through: it is not a directory)
    }
  }
  return current;
}

/** Whether `inner` is `outer` or lies below it (both absolute, normalized). */
export function isWithin(inner: string, outer: string): boolean {
  const r = relative(outer, inner);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** A path for messages: relative to the current directory when below it, else absolute. */
export function shown(p: string): string {
  const abs = resolve(p);
  const r = relative(process.cwd(), abs);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : abs;
}
