/** A worker thread of the pipeline (see pipeline.ts): loads its chunk, then renders what it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadChunk, renderChunk, type FromWorker, type ToWorker } from './pipeline';

const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
// A file-system error's path goes into its first line (src/outdir/errors.ts words it for the user).
const withPath = (e: NodeJS.ErrnoException) => (e.code && e.path && !e.message.includes(e.path) ? `Error: ${e.message} '${e.path}'\n${e.stack ?? ''}` : e.stack ?? e.message);
const fail = (e: unknown) => post({ type: 'error', error: e instanceof Error ? withPath(e) : String(e) });

try {
  const { files, load } = workerData as { files: string[]; load: import('../spec/load').LoadOptions };
  const { findings, services } = loadChunk(files, load);
  // `locate` is a function and cannot cross threads; the main thread reloads on a link error.
  post({ type: 'loaded', findings, services: services.map(({ locate: _locate, ...rest }) => rest) });
} catch (e) {
  fail(e);
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'stop') {
    port.close();
    return;
  }
  renderChunk(m.services, m.opts).then((chunk) => post({ type: 'rendered', ...chunk }), fail);
});
