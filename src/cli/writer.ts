/**
 * The writer thread (see FileSink in outdir.ts): writes batches of files with synchronous calls,
 * off the rendering thread. On this kind of disk creating a file costs far more kernel time than
 * rendering it costs JavaScript, and async fs calls triple the per-file overhead.
 */
import { parentPort } from 'node:worker_threads';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Messages to the writer: a batch of absolute path -> content, or the end. */
export type ToWriter = { readonly files: [string, string][] } | { readonly end: true };
/** Messages from the writer: a batch written, all done, or the first error (then it stops). */
export type FromWriter = { readonly ack: number } | { readonly done: true } | { readonly error: string };

const port = parentPort!;
const made = new Set<string>();
let failed = false;

port.on('message', (m: ToWriter) => {
  if ('end' in m) {
    if (!failed) port.postMessage({ done: true } satisfies FromWriter);
    port.close();
    return;
  }
  if (failed) return;
  let current = '';
  try {
    for (const [path, content] of m.files) {
      current = path;
      const dir = dirname(path);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(path, content);
    }
    port.postMessage({ ack: m.files.length } satisfies FromWriter);
  } catch (e) {
    failed = true;
    // A failed write (ENOSPC) names no path: add the file's (src/outdir/errors.ts words the error).
    const err = e as NodeJS.ErrnoException;
    port.postMessage({ error: err.path ? err.message : `${err.message} '${current}'` } satisfies FromWriter);
  }
});
