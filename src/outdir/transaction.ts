/**
 * One write of an output directory, from the checks to the commit:
 *
 * 1. the real path of the output directory is checked against the places it may never be (guard.ts);
 * 2. the run takes the directory's lock (lock.ts) and finishes a commit a killed run left (journal.ts),
 *    and removes temporary directories of runs that are gone;
 * 3. the directory must be Slipway's to replace (ownership.ts) unless `forceReplace`;
 * 4. the new output is written into a fresh sibling temporary directory, with the marker listing
 *    every file, and committed by renames (journal.ts); the lock is released.
 *
 * Every failure of the environment (disk full, read-only, permission) is an OutputError in plain words.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { OutputError, asOutputError } from './errors';
import { checkPlace } from './guard';
import { acquireLock, processStart, type Lock } from './lock';
import { journalPathFor, planCommit, recoverJournal, runPlan } from './journal';
import { MARKER, formatMarker } from './marker';
import { checkOwnership, entriesOf, type PreviousOutput } from './ownership';
import { realPath } from './paths';
import { crashPoint } from './crash';

/** Options of {@link OutputTransaction.open}. */
export interface OutputOptions {
  /**
   * Replace a non-empty directory even when Slipway's marker does not prove it wrote it (or it
   * holds files the marker does not list). Never lifts the guards (spec files, working and home
   * directory, git repositories).
   * @default false, unless the environment variable SLIPWAY_FORCE_REPLACE is `1`
   */
  readonly forceReplace?: boolean;
  /** Input files of the run: the output directory may not contain them. @default none */
  readonly inputs?: readonly string[];
  /** The working directory: relative paths start there, and the output may not contain it. @default process.cwd() */
  readonly cwd?: string;
  /** The home directory, which the output may not be or contain. @default os.homedir() */
  readonly home?: string;
}

/** Whether SLIPWAY_FORCE_REPLACE asks for --force-replace. */
export function forceReplaceFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SLIPWAY_FORCE_REPLACE === '1' || env.SLIPWAY_FORCE_REPLACE === 'true';
}

/** Converts environmental failures of `fn` to OutputErrors (see errors.ts). */
function plain<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw asOutputError(e) ?? e;
  }
}

/** An output directory being written: fill {@link tmp}, then {@link commit} or {@link abort}. */
export class OutputTransaction {
  private closed = false;

  private constructor(
    /** The output directory as given. */
    readonly given: string,
    /** Its real path: every operation uses it. */
    readonly real: string,
    /** The temporary directory the new output is written into. */
    readonly tmp: string,
    /** What the directory held before. */
    readonly previous: PreviousOutput,
    private readonly lock: Lock,
  ) {}

  /** Checks, locks, recovers and creates the temporary directory (steps 1-3 above). */
  static open(outdir: string, opts: OutputOptions = {}): OutputTransaction {
    return plain(() => {
      const real = realPath(outdir, opts.cwd);
      checkPlace(real, outdir, { inputs: opts.inputs, cwd: opts.cwd, home: opts.home });
      try {
        mkdirSync(dirname(real), { recursive: true });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EEXIST' || code === 'ENOTDIR') throw new OutputError(`-o ${outdir}: a part of the path is a file, not a directory; choose a directory`);
        if (code === 'ENOENT' || code === 'ELOOP') throw new OutputError(`-o ${outdir}: a part of the path is a symbolic link that leads nowhere; choose a directory`);
        throw e;
      }
      const lock = acquireLock(real, outdir);
      try {
        recoverJournal(real);
        removeStale(real);
        const previous = checkOwnership(real, outdir, opts.forceReplace ?? forceReplaceFromEnv());
        const tmp = `${real}.slipway-tmp-${process.pid}`;
        rmSync(tmp, { recursive: true, force: true });
        mkdirSync(tmp);
        return new OutputTransaction(outdir, real, tmp, previous, lock);
      } catch (e) {
        lock.release();
        throw e;
      }
    });
  }

  /** The marker text for the files in the temporary directory plus `kept` (relative paths of files that stay in place). */
  private markerText(kept: readonly string[]): string {
    return formatMarker([...entriesOf(this.tmp).filter((e) => !e.endsWith('/')), ...kept]);
  }

  /**
   * Whether the output directory already is the new output: it holds exactly `kept` and its
   * marker lists exactly them (then nothing needs to be written).
   */
  holdsExactly(kept: readonly string[]): boolean {
    try {
      return readFileSync(join(this.real, MARKER), 'utf8') === formatMarker(kept);
    } catch {
      return false;
    }
  }

  /**
   * Moves the new output into place: the temporary directory's entries, with the entries named in
   * `keep` (top-level names) left where they are; `kept` lists their files (relative to the output
   * directory) for the marker. Crash-safe (journal.ts). Releases the lock.
   */
  commit(keep: ReadonlySet<string> = new Set(), kept: readonly string[] = []): void {
    try {
      plain(() => {
        writeFileSync(join(this.tmp, MARKER), this.markerText(kept));
        crashPoint();
        let fresh = !this.previous.exists;
        if (!fresh && readdirSync(this.real).length === 0) {
          rmdirSync(this.real); // an empty directory: the new output takes its place in one rename
          fresh = true;
          crashPoint();
        }
        if (fresh) {
          renameSync(this.tmp, this.real);
          crashPoint();
        } else runPlan(planCommit(this.real, this.tmp, keep, this.previous.replaceAll));
      });
    } catch (e) {
      if (existsSync(journalPathFor(this.real))) {
        // Renames have begun: the journal lets the next run finish them; the new output stays in tmp.
        this.close();
        const plainE = asOutputError(e);
        throw plainE ? new OutputError(`${plainE.message} (while moving the new output into place: the next run finishes it)`) : e;
      }
      this.abort();
      throw e;
    }
    this.close();
  }

  /** Discards the temporary directory and releases the lock (the output directory is as it was). */
  abort(): void {
    if (this.closed) return;
    try {
      rmSync(this.tmp, { recursive: true, force: true });
    } finally {
      this.close();
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lock.release();
  }
}

/** Temporary and aside directories of `real` left by runs that were killed (their process is gone). */
function removeStale(real: string): void {
  const prefix = `${basename(real)}.slipway-`;
  let names: string[];
  try {
    names = readdirSync(dirname(real)).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  for (const n of names) {
    const m = /^(?:tmp|old)-(\d+)$/.exec(n.slice(prefix.length));
    if (!m || Number(m[1]) === process.pid || processStart(Number(m[1])) !== undefined) continue;
    try {
      rmSync(join(dirname(real), n), { recursive: true, force: true });
    } catch {
      // a cleanup of its own may be removing it: left for the next run
    }
  }
}
