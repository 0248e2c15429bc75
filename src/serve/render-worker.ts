/**
 * A render worker of the warm renderer: a child process of `slipway serve` (forked by
 * worker-process.ts) that loads Slipway once and then runs one request at a time as the client's
 * cold process would (captured-run.ts: its directory, environment and terminal flags). A process, not
 * a worker thread: process.chdir() is not available in worker threads, and the CLI resolves relative
 * spec paths against the process's working directory, as a cold run does. A process can also be
 * killed mid-render (the request timeout) and given its own heap bound (--max-old-space-size).
 *
 * It exits when the server goes away (its IPC channel closes).
 */
import { join } from 'node:path';
import { bundleOf } from '../cli/bundle-delegate';
import { NotRunnable, runCaptured, type CliRun } from './captured-run';
import type { FromRenderWorker, RenderMessage } from './worker-messages';

// The CLI bundle (lib/bundle/main.js, through its code cache) when it is fresh, as `slipway` itself runs.
type Cli = typeof import('../cli/main');
const cli: CliRun = ((bundleOf(join(__dirname, '..', 'cli', 'main.js'), 'main') as Cli | undefined) ?? (require('../cli/main') as Cli)).run;
const send = (m: FromRenderWorker) => process.send!(m);

process.on('message', (m: RenderMessage) => {
  if (m?.type !== 'render') return;
  runCaptured(cli, m.request).then(
    (r) => send({ type: 'result', id: m.id, code: r.code, stdout: r.stdout, stderr: r.stderr }),
    (e: Error) => send({ type: 'declined', id: m.id, reason: e instanceof NotRunnable ? e.message : `internal error: ${e.message}` }),
  );
});
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
