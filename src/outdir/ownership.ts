/**
 * Whether Slipway may replace an existing output directory: it must carry Slipway's marker and
 * hold nothing the marker does not list (checked without following any symlink), or the user
 * must have said `--force-replace`. A `.git` inside is refused even then.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OutputError } from './errors';
import { MARKER, readMarker } from './marker';

/** What an output directory holds before a synth replaces it. */
export interface PreviousOutput {
  /** Whether the directory exists. */
  readonly exists: boolean;
  /** The files the previous marker lists (empty for a new or force-replaced directory). */
  readonly files: readonly string[];
  /** Whether replacing it deletes everything in it (`--force-replace` on a directory Slipway does not own). */
  readonly replaceAll: boolean;
}

/** The entries below `dir` (relative, `/`), directories with a trailing `/`, never following symlinks. */
export function entriesOf(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const d of readdirSync(rel ? join(dir, rel) : dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        out.push(`${r}/`);
        walk(r);
      } else out.push(r);
    }
  };
  walk('');
  return out;
}

/**
 * Checks that `real` (the output directory's real path) may be replaced and returns what it holds.
 * `given` is the path as the user wrote it (for messages).
 */
export function checkOwnership(real: string, given: string, force: boolean): PreviousOutput {
  let st;
  try {
    st = lstatSync(real);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, files: [], replaceAll: false };
    throw e;
  }
  if (!st.isDirectory()) throw new OutputError(`-o ${given}: exists and is not a directory; choose a directory`);
  const entries = entriesOf(real);
  const git = entries.find((e) => e === '.git/' || e === '.git' || e.endsWith('/.git/') || e.endsWith('/.git'));
  if (git) throw new OutputError(`-o ${given}: holds a git repository (${git.replace(/\/$/, '')}); Slipway never replaces it, not even with --force-replace: choose another output directory`);
  if (!entries.length) return { exists: true, files: [], replaceAll: false };
  const listed = readMarker(real);
  if (!listed) {
    if (force) return { exists: true, files: [], replaceAll: true };
    throw new OutputError(`-o ${given}: is not empty and was not written by Slipway (no valid ${MARKER} in it), so it is left as it is; choose an empty or new directory, or pass --force-replace to replace everything in it`);
  }
  const files = new Set(listed);
  const dirs = new Set<string>();
  for (const f of listed) for (let i = f.indexOf('/'); i >= 0; i = f.indexOf('/', i + 1)) dirs.add(f.slice(0, i + 1));
  // A listed path may have become a symlink: it is deleted as a link (unlink), never followed.
  const foreign = entries.filter((e) => e !== MARKER && !(e.endsWith('/') ? dirs.has(e) : files.has(e)));
  if (foreign.length && !force) {
    const some = foreign.slice(0, 5).map((e) => e.replace(/\/$/, '')).join(', ');
    throw new OutputError(`-o ${given}: holds ${foreign.length === 1 ? 'an entry' : `${foreign.length} entries`} Slipway did not write (${some}${foreign.length > 5 ? ', ...' : ''}), so it is left as it is; move ${foreign.length === 1 ? 'it' : 'them'} out of the way, or pass --force-replace to replace everything in it`);
  }
  return { exists: true, files: listed, replaceAll: foreign.length > 0 };
}
