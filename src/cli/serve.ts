/**
 * `slipway serve --socket <path>`: the warm renderer (src/serve/) for the Argo CD plugin sidecar.
 * Listens until SIGTERM or SIGINT, then removes its socket and returns 0.
 */
import { unlinkSync } from 'node:fs';
import type { CliRun } from '../serve/captured-run';
import { warmServer } from '../serve/server';
import { listenPrivately, prepareSocketPath } from '../serve/socket-path';

/** Options of `slipway serve`. */
export interface ServeOptions {
  /** Socket file to create (its directory must exist). */
  readonly socket: string;
}

/** Serves `synth --stdout` requests through `cli` (the CLI's own `run`) on the socket until a signal. */
export async function serveCommand(opts: ServeOptions, cli: CliRun): Promise<number> {
  const path = await prepareSocketPath(opts.socket);
  // Bound now: while a request runs, process.stderr.write is that request's (captured-run.ts).
  const write = process.stderr.write.bind(process.stderr);
  const log = (line: string) => { write(`slipway serve: ${line}\n`); };
  const { server } = warmServer(cli, log);
  await listenPrivately(server, path);
  log(`listening on ${path} (pid ${process.pid})`);
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      server.close(() => done(0));
      try { unlinkSync(path); } catch { /* already gone */ }
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
