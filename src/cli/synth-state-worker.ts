/** Digests the previous output's service directories off the main thread (see digestDirectoriesAside). */
import { parentPort, workerData } from 'node:worker_threads';
import { digestDirectories } from './synth-state';

const { outdir, names } = workerData as { outdir: string; names: string[] };
parentPort!.postMessage(digestDirectories(outdir, names));
