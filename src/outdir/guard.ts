/**
 * Places an output directory may never be, whatever the flags: compared as real paths, so a
 * symlink (or `link/..`) cannot dress up the spec directory, the working directory, the home
 * directory or a git repository as an output directory.
 */
import { homedir } from 'node:os';
import { sep } from 'node:path';
import { OutputError } from './errors';
import { isWithin, realPath, shown } from './paths';

/** What the output directory must stay clear of. */
export interface GuardInputs {
  /** Spec (and other input) files of this run. @default none */
  readonly inputs?: readonly string[];
  /** The working directory. @default process.cwd() */
  readonly cwd?: string;
  /** The home directory. @default os.homedir() */
  readonly home?: string;
}

/**
 * Refuses (OutputError, exit 2) an output directory whose replacement would destroy the inputs,
 * the working directory, the home directory or a git repository. `real` is its real path
 * (see realPath), `given` the path as written.
 */
export function checkPlace(real: string, given: string, opts: GuardInputs = {}): void {
  const why = (what: string) => new OutputError(`-o ${given}: the output directory is replaced on every run, so it may not ${what} (it is ${real}); choose a directory of its own, such as dist`);
  if (real === sep) throw why('be the root directory');
  if (real.split(sep).includes('.git')) throw why('lie inside a .git directory');
  const cwd = realPath(opts.cwd ?? process.cwd());
  const base = opts.cwd;
  if (isWithin(cwd, real)) throw why(real === cwd ? 'be the working directory' : 'contain the working directory');
  let home: string | undefined;
  try {
    home = realPath(opts.home ?? homedir());
  } catch {
    home = undefined;
  }
  if (home && home !== sep && isWithin(home, real)) throw why(real === home ? 'be the home directory' : 'contain the home directory');
  for (const input of opts.inputs ?? []) {
    let r: string;
    try {
      r = realPath(input, base);
    } catch {
      continue;
    }
    if (isWithin(r, real)) throw why(`contain the spec file ${shown(input)}`);
  }
}
