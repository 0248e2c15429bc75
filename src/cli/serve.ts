/**
 * `slipway serve --socket <path>`: the warm renderer (src/serve/) for the Argo CD plugin sidecar.
 * Starts its render workers, listens once they are all ready, and serves until SIGTERM or SIGINT;
 * then removes its socket, ends the workers and returns 0. A worker that cannot start is exit 3.
 */
import { unlinkSync } from 'node:fs';
import { resolveLimits, seconds, type LimitFlags } from '../serve/limits';
import { RenderPool } from '../serve/pool';
import { warmServer } from '../serve/server';
import { listenPrivately, prepareSocketPath } from '../serve/socket-path';
import { startWorkerProcess } from '../serve/worker-process';
import { EXIT } from './output';

/** Options of `slipway serve`. */
export interface ServeOptions extends LimitFlags {
  /** Socket file to create (its directory must exist). */
  readonly socket: string;
}

/** Serves `synth --stdout` requests on the socket, in render worker processes, until a signal. */
export async function serveCommand(opts: ServeOptions): Promise<number> {
  const limits = resolveLimits(opts);
  const path = await prepareSocketPath(opts.socket);
  const write = process.stderr.write.bind(process.stderr);
  const log = (line: string) => { write(`slipway serve: ${line}\n`); };
  const pool = new RenderPool(limits, () => startWorkerProcess(limits.workerMemoryMb), log);
  try {
    await pool.started();
  } catch (e) {
    pool.close();
    log(`error: ${(e as Error).message}`);
    return EXIT.INTERNAL;
  }
  const { server, stats } = warmServer(pool, log);
  await listenPrivately(server, path);
  const timeout = limits.requestTimeoutMs ? seconds(limits.requestTimeoutMs) : 'none';
  const memory = limits.workerMemoryMb ? `${limits.workerMemoryMb} MiB heap` : "Node.js's default heap";
  log(`listening on ${path} (pid ${process.pid}; ${limits.workers} render worker${limits.workers === 1 ? '' : 's'} of ${memory}, queue ${limits.maxQueue}, request timeout ${timeout})`);
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      pool.close();
      const p = pool.stats;
      log(`stopping: ${stats.served} answered (per worker: ${p.perWorker.join(', ')}), ${stats.declined} declined, ${stats.dropped} dropped; `
        + `${p.timeouts} timed out, ${p.outOfMemory} out of memory, ${p.busy} refused busy; ${p.replaced} workers replaced`);
      server.close(() => done(0));
      try { unlinkSync(path); } catch { /* already gone */ }
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
