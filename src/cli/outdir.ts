import { mkdirSync, writeFileSync, renameSync, rmSync, existsSync, statSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve, relative, isAbsolute } from 'node:path';
import { UsageError } from './output';

/**
 * The output directory, updated atomically: files are written into a sibling temporary directory
 * whose entries go into the output directory only when everything succeeded (commitEntries; a
 * fresh output directory is the renamed temporary one, as `writeAtomically` in src/app/synth.ts
 * does), so several writers (worker threads) can fill it in parallel.
 */
export function tmpDirFor(outdir: string): string {
  return `${resolve(outdir)}.slipway-tmp-${process.pid}`;
}

/** Refuses output directories whose replacement would destroy inputs or the working directory. */
export function checkOutdir(outdir: string, specFiles: readonly string[]): void {
  const target = resolve(outdir);
  const inside = (p: string) => { const r = relative(target, resolve(p)); return r === '' || (!r.startsWith('..') && !isAbsolute(r)); };
  if (inside(process.cwd())) throw new UsageError(`-o ${outdir}: the output directory is replaced on every run, so it cannot contain the working directory`);
  const spec = specFiles.find(inside);
  if (spec) throw new UsageError(`-o ${outdir}: the output directory is replaced on every run, so it cannot contain the spec file ${spec}`);
  if (existsSync(target) && !statSync(target).isDirectory()) throw new UsageError(`-o ${outdir}: exists and is not a directory`);
}

/** Where rendered files go: `write` each file, `flush` after each service, `finish` at the end. */
export interface FileSink {
  write(rel: string, content: string): void;
  /** Hands the files written so far on; waits when the disk is far behind (bounds memory). */
  flush(): Promise<void>;
  /** Resolves when every file is on disk; rejects with the first write error. */
  finish(): Promise<void>;
}

/**
 * A sink for `expectedFiles` files under an existing root: written by a writer thread when there
 * are many (file creation costs kernel time that then overlaps rendering), else synchronously.
 */
export function fileSink(root: string, expectedFiles: number, thread: boolean): FileSink {
  return thread && expectedFiles >= WRITER_THREAD_FROM ? new ThreadSink(root) : new SyncSink(root);
}

/** From this many files a writer thread pays for its start (~30 ms). */
export const WRITER_THREAD_FROM = 200;

/** Writes synchronously (one call per file), creating each directory once. */
export class SyncSink implements FileSink {
  private readonly made = new Set<string>();
  constructor(readonly root: string) {}

  write(rel: string, content: string): void {
    const full = join(this.root, rel);
    const dir = dirname(full);
    if (!this.made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.made.add(dir);
    }
    writeFileSync(full, content);
  }

  async flush(): Promise<void> {}
  async finish(): Promise<void> {}
}

/** Batches files to a writer thread (writer.ts), at most MAX_QUEUED batches (of BATCH files) ahead of the disk. */
export class ThreadSink implements FileSink {
  private static readonly MAX_QUEUED = 16;
  private static readonly BATCH = 256;
  private readonly worker: import('node:worker_threads').Worker;
  private batch: [string, string][] = [];
  private queued = 0;
  private failure?: Error;
  private done = false;
  private ended = false;
  private wake?: () => void;

  constructor(readonly root: string) {
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    this.worker = new Worker(join(__dirname, 'writer.js'));
    this.worker.on('message', (m: import('./writer').FromWriter) => {
      if ('ack' in m) this.queued--;
      else if ('done' in m) this.done = true;
      else this.failure ??= new Error(m.error);
      this.wake?.();
    });
    this.worker.on('error', (e) => { this.failure ??= e; this.wake?.(); });
    // Exiting cleanly happens only after `end`, when every batch is written.
    this.worker.on('exit', (code) => { if (code === 0 && this.ended) this.done = true; else if (!this.done) this.failure ??= new Error('the writer thread stopped'); this.wake?.(); });
  }

  write(rel: string, content: string): void {
    this.batch.push([join(this.root, rel), content]);
  }

  async flush(final = false): Promise<void> {
    // Each message costs ~0.2 ms besides copying the strings: send a few hundred files at a time.
    if (this.batch.length >= ThreadSink.BATCH || (final && this.batch.length)) {
      this.worker.postMessage({ files: this.batch } satisfies import('./writer').ToWriter);
      this.batch = [];
      this.queued++;
    }
    if (this.queued > ThreadSink.MAX_QUEUED) await this.until(() => this.queued <= ThreadSink.MAX_QUEUED / 2);
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<void> {
    try {
      await this.flush(true);
      this.worker.postMessage({ end: true } satisfies import('./writer').ToWriter);
      this.ended = true;
      await this.until(() => this.done);
      if (this.failure) throw this.failure;
    } finally {
      // On failure the thread is stopped before the caller removes the directory it writes to.
      if (!this.done) await this.worker.terminate();
    }
  }

  private async until(cond: () => boolean): Promise<void> {
    while (!cond() && !this.failure) await new Promise<void>((resolve) => { this.wake = resolve; });
  }
}

/** Creates a fresh, empty temporary directory for `outdir` (and clears leftovers of killed runs). */
export function beginOutput(outdir: string): string {
  const tmp = tmpDirFor(outdir);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  removeStale(outdir);
  return tmp;
}

/**
 * Moves the temporary directory into place. The previous output is renamed aside first and
 * removed afterwards by a detached process, off the critical path (tens of thousands of unlinks
 * for a large fleet); `SLIPWAY_SYNC_CLEANUP=1` removes it before returning instead.
 */
export function commitOutput(tmp: string, outdir: string): void {
  const target = resolve(outdir);
  const old = `${target}.slipway-old-${process.pid}`;
  rmSync(old, { recursive: true, force: true });
  const hadOld = existsSync(target);
  if (hadOld) renameSync(target, old);
  try {
    renameSync(tmp, target);
  } catch (e) {
    if (hadOld) renameSync(old, target);
    throw e;
  }
  if (hadOld) removeLater([old]);
}

/**
 * Moves the temporary directory's entries into `outdir`, keeping the entries named in `keep`
 * where they are and moving every other entry of `outdir` aside (removed later, as in
 * {@link commitOutput}). Each entry is replaced by two renames, the state file last, so a
 * re-synth that changed a few services touches only those; a rename failure moves everything
 * back. Without a previous `outdir` this is {@link commitOutput}.
 */
export function commitEntries(tmp: string, outdir: string, keep: ReadonlySet<string>, last: string): void {
  const target = resolve(outdir);
  if (!existsSync(target)) return commitOutput(tmp, outdir);
  const old = `${target}.slipway-old-${process.pid}`;
  rmSync(old, { recursive: true, force: true });
  mkdirSync(old);
  const incoming = readdirSync(tmp).sort((a, b) => Number(a === last) - Number(b === last) || (a < b ? -1 : a > b ? 1 : 0));
  const outgoing = new Set(readdirSync(target).filter((n) => !keep.has(n)));
  const done: [string, string][] = [];
  const move = (from: string, to: string) => {
    renameSync(from, to);
    done.push([from, to]);
  };
  try {
    for (const name of incoming) {
      if (outgoing.delete(name)) move(join(target, name), join(old, name));
      move(join(tmp, name), join(target, name));
    }
    for (const name of outgoing) move(join(target, name), join(old, name));
  } catch (e) {
    for (const [from, to] of done.reverse()) renameSync(to, from);
    rmSync(old, { recursive: true, force: true });
    throw e;
  }
  rmSync(tmp, { recursive: true, force: true });
  removeLater([old]);
}

/** Removes directories in a detached child process (synchronously when that is not possible or not wanted). */
export function removeLater(dirs: readonly string[]): void {
  if (!dirs.length) return;
  if (!process.env.SLIPWAY_SYNC_CLEANUP) {
    try {
      const { spawn } = require('node:child_process') as typeof import('node:child_process');
      const script = 'for (const d of process.argv.slice(1)) require("fs").rmSync(d, { recursive: true, force: true })';
      spawn(process.execPath, ['-e', script, ...dirs], { detached: true, stdio: 'ignore' }).unref();
      return;
    } catch {
      // fall through: remove here
    }
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}

/** Temporary and old output directories left by runs that were killed (their process is gone). */
function removeStale(outdir: string): void {
  const target = resolve(outdir);
  const parent = dirname(target);
  const prefix = `${basename(target)}.slipway-`;
  let names: string[];
  try {
    names = readdirSync(parent).filter((n) => n.startsWith(prefix));
  } catch {
    return;
  }
  const stale = names.filter((n) => {
    const m = /^(?:tmp|old)-(\d+)$/.exec(n.slice(prefix.length));
    return m !== null && Number(m[1]) !== process.pid && !alive(Number(m[1]));
  });
  removeLater(stale.map((n) => join(parent, n)));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Discards the temporary directory (on any failure). */
export function abortOutput(tmp: string): void {
  rmSync(tmp, { recursive: true, force: true });
}

/** Every file under `dir` (but those `skip` names) as relative path (with `/`) -> content; empty when `dir` does not exist. */
export function readTree(dir: string, skip: (rel: string) => boolean = () => false): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  const walk = (rel: string) => {
    for (const d of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (skip(r)) continue;
      if (d.isDirectory()) walk(r);
      else files.set(r, readFileSync(join(dir, ...r.split('/')), 'utf8'));
    }
  };
  walk('');
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
