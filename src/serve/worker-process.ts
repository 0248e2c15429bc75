/**
 * One render worker as the pool sees it (the {@link RenderWorker} interface), backed by a child
 * process running render-worker.ts with a V8 heap bound. The child's stderr (nothing a request
 * prints: that is captured) is kept, its last few KiB, to tell a heap exhaustion from another death
 * and to log why a worker could not start.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { WarmRequest } from './protocol';
import type { FromRenderWorker, RenderMessage } from './worker-messages';

/** How a worker ended. */
export interface WorkerExit {
  /** V8 ran out of the heap the worker was allowed (its fatal "heap out of memory" error). */
  readonly outOfMemory: boolean;
  /** `exit code 1`, `signal SIGKILL`, with the end of its stderr when it wrote any. */
  readonly detail: string;
}

/** A render's outcome inside a worker that stayed alive. */
export type RenderOutcome =
  | { readonly type: 'result'; readonly code: number; readonly stdout: Buffer; readonly stderr: Buffer }
  | { readonly type: 'declined'; readonly reason: string };

/** A worker: takes one request at a time; the pool never sends a second before the first settled. */
export interface RenderWorker {
  /** Settles once the worker takes requests; rejects with its WorkerExit if it ends before that. */
  readonly ready: Promise<void>;
  /** Settles once the worker has ended, however (never rejects). */
  readonly exited: Promise<WorkerExit>;
  /** Renders; rejects with the WorkerExit when the worker ends before answering. */
  render(request: WarmRequest): Promise<RenderOutcome>;
  /** Ends the worker now (SIGKILL): a render in it is abandoned. */
  kill(): void;
}

/** The worker's entry, next to this module in lib/serve/ — also when this module runs from lib/bundle/. */
const ENTRY = join(__dirname, '..', 'serve', 'render-worker.js');
/** How much of a worker's stderr is kept. */
const STDERR_TAIL = 4096;
/** What V8 prints when a heap bound is reached (then it aborts). */
const OOM = /JavaScript heap out of memory|Reached heap limit/;

/** Starts a render worker process with `heapMb` MiB of old-generation heap (0: Node.js's default). */
export function startWorkerProcess(heapMb: number): RenderWorker {
  const execArgv = heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : [];
  const child: ChildProcess = fork(ENTRY, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let tail = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => { tail = (tail + d).slice(-STDERR_TAIL); });
  child.on('error', () => { /* a failed kill or send: 'exit' follows or already came */ });

  const exited = new Promise<WorkerExit>((done) => {
    child.once('exit', (code, signal) => {
      // stderr may still hold V8's last words: read them once the pipe has closed.
      const finish = () => {
        const lines = tail.split('\n').map((l) => l.trim()).filter(Boolean);
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        // The first line that names an error says most ("Error: Cannot find module ...", "FATAL ERROR: ... heap out of memory").
        const why = lines.find((l) => /error/i.test(l)) ?? lines.at(-1);
        done({ outOfMemory: OOM.test(tail), detail: why ? `${how}: ${why}` : how });
      };
      if (child.stderr!.readableEnded || child.stderr!.destroyed) finish();
      else child.stderr!.once('close', finish);
    });
  });

  const ready = new Promise<void>((done, fail) => {
    const onMessage = (m: FromRenderWorker) => { if (m.type === 'ready') { child.off('message', onMessage); done(); } };
    child.on('message', onMessage);
    void exited.then(fail);
  });

  // The one render in flight (the pool sends one at a time): one listener each, not one per request.
  let pending: { readonly id: number; done(o: RenderOutcome): void; fail(e: WorkerExit): void } | undefined;
  let nextId = 0;
  const bytes = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
  child.on('message', (m: FromRenderWorker) => {
    if (m.type === 'ready' || !pending || m.id !== pending.id) return;
    const p = pending;
    pending = undefined;
    p.done(m.type === 'declined' ? { type: 'declined', reason: m.reason } : { type: 'result', code: m.code, stdout: bytes(m.stdout), stderr: bytes(m.stderr) });
  });
  let ended: WorkerExit | undefined;
  void exited.then((e) => { ended = e; const p = pending; pending = undefined; p?.fail(e); });
  const render = (request: WarmRequest): Promise<RenderOutcome> => new Promise((done, fail) => {
    if (ended) return fail(ended);
    if (pending) throw new Error('render worker: a render is already in flight');
    pending = { id: ++nextId, done, fail };
    const message: RenderMessage = { type: 'render', id: pending.id, request };
    child.send(message);
  });

  return {
    ready,
    exited,
    render,
    kill: () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); },
  };
}
