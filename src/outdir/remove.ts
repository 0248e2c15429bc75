/**
 * Deleting a previous output: only the files its marker lists, each unlinked (a symlink is removed,
 * never followed), through directories checked to be real directories; then the directories left
 * empty. Whatever else is there stays.
 */
import { existsSync, lstatSync, readdirSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { MARKER, readMarker } from './marker';

/** Whether every directory on the way from `root` to `rel` is a real directory (no symlink); `checked` caches the answers per directory. */
function throughRealDirs(root: string, rel: string, checked: Map<string, boolean>): boolean {
  const slash = rel.lastIndexOf('/');
  if (slash < 0) return true;
  const parent = rel.slice(0, slash);
  let ok = checked.get(parent);
  if (ok === undefined) {
    try {
      ok = throughRealDirs(root, parent, checked) && lstatSync(join(root, parent)).isDirectory();
    } catch {
      ok = false;
    }
    checked.set(parent, ok);
  }
  return ok;
}

/**
 * Removes from `dir` the listed files (paths relative to it) and the marker, then every directory
 * that is left empty, `dir` included. Returns whether `dir` is gone.
 */
export function removeListed(dir: string, files: readonly string[]): boolean {
  const dirs = new Set<string>();
  const checked = new Map<string, boolean>();
  for (const rel of [...files, MARKER]) {
    if (!throughRealDirs(dir, rel, checked)) continue;
    try {
      unlinkSync(join(dir, rel));
    } catch {
      // missing (reused and never moved aside), or a directory now: left alone
    }
    for (let i = rel.lastIndexOf('/'); i > 0; i = rel.lastIndexOf('/', i - 1)) dirs.add(rel.slice(0, i));
  }
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    try {
      rmdirSync(join(dir, d));
    } catch {
      // not empty or not there
    }
  }
  try {
    rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes an output directory moved aside: by its marker, or everything in it when `all` (the
 * user passed --force-replace for a directory Slipway did not own). rmSync never follows symlinks.
 */
export function removeAside(dir: string, all: boolean): void {
  if (all) {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const files = readMarker(dir);
  if (files) removeListed(dir, files);
  else {
    // No marker: only an empty directory (moved aside before anything was moved into it) goes.
    try {
      if (readdirSync(dir).length === 0) rmdirSync(dir);
    } catch {
      // gone
    }
  }
}

/**
 * The compiled child entry point (lib/outdir/remove-aside-child.js). `__dirname` is lib/outdir/, or
 * lib/bundle/ in a bundle: both one level below lib/. Running from the TypeScript sources there is
 * no compiled child, and removal is synchronous.
 */
const CHILD = join(__dirname, '..', 'outdir', 'remove-aside-child.js');

/**
 * Removes directories moved aside in a detached child process, off the critical path (a large
 * fleet has tens of thousands of files); synchronously when `SLIPWAY_SYNC_CLEANUP` is set, the
 * child's script is not there, or no process can be started.
 */
export function removeAsideLater(dir: string, all: boolean): void {
  if (!process.env.SLIPWAY_SYNC_CLEANUP && existsSync(CHILD)) {
    try {
      const { spawn } = require('node:child_process') as typeof import('node:child_process');
      spawn(process.execPath, [CHILD, dir, all ? 'all' : 'listed'], { detached: true, stdio: 'ignore' }).unref();
      return;
    } catch {
      // fall through
    }
  }
  removeAside(dir, all);
}
