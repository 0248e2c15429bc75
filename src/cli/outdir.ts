import { mkdirSync, writeFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Writing the rendered files: sinks that fill the temporary directory of an output transaction
 * (src/outdir/transaction.ts, which checks, locks and commits the output directory), and reading
 * an output directory back.
 */

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
    try {
      writeFileSync(full, content);
    } catch (e) {
      // A failed write (ENOSPC) names no path: say which file (src/outdir/errors.ts words it).
      (e as NodeJS.ErrnoException).path ??= full;
      throw e;
    }
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
