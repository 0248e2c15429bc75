/**
 * The warm renderer's pool of render workers (limits.ts says how many, how long, how much memory).
 * A request goes to the first idle worker, in worker order, or waits in a first-come queue of at
 * most `maxQueue`; one more is answered at once with a "busy" error. A render that outlives the
 * request timeout, or exhausts its worker's heap, ends that worker and gets an error naming the
 * bound; every worker that ends, for whatever reason, is replaced, and the other workers go on.
 *
 * A worker that cannot start (it ends before it is ready) is retried after 1 s, doubling up to 30 s;
 * while no worker is ready or starting well, waiting requests are declined (their clients run cold).
 */
import type { WarmRequest } from './protocol';
import type { ServeLimits } from './limits';
import { busy, outOfMemory, timedOut } from './limit-errors';
import type { RenderWorker, WorkerExit } from './worker-process';

/** What a request gets: something to print with an exit status, or "run it cold". */
export type PoolAnswer =
  | { readonly type: 'result'; readonly code: number; readonly stdout: Buffer; readonly stderr: Buffer }
  | { readonly type: 'declined'; readonly reason: string };

/** Counters for tests and the server's log. */
export interface PoolStats {
  /** Requests each worker slot answered with a result (a replaced worker's count goes on in its slot). */
  readonly perWorker: number[];
  timeouts: number;
  outOfMemory: number;
  busy: number;
  /** Workers that ended and were replaced (timeouts and heap exhaustion included). */
  replaced: number;
}

interface Slot {
  readonly index: number;
  worker: RenderWorker;
  ready: boolean;
  busy: boolean;
  /** Consecutive failed starts (for the retry delay). */
  failedStarts: number;
}

interface Waiting {
  readonly request: WarmRequest;
  /** True when the client has gone: the request is skipped. */
  readonly gone: () => boolean;
  readonly answer: (a: PoolAnswer) => void;
}

const EMPTY = Buffer.alloc(0);
const failure = (e: { code: number; stderr: string }): PoolAnswer => ({ type: 'result', code: e.code, stdout: EMPTY, stderr: Buffer.from(e.stderr) });
const MAX_RETRY_MS = 30_000;

/** The pool; `start` a worker with `spawn` (worker-process.ts in the server, a fake in unit tests). */
export class RenderPool {
  readonly stats: PoolStats;
  private readonly slots: Slot[];
  private readonly queue: Waiting[] = [];
  private closed = false;
  /** Set once started() has seen every worker ready: from then on a failed start is retried, not reported. */
  private running = false;

  constructor(
    private readonly limits: ServeLimits,
    private readonly spawn: () => RenderWorker,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.stats = { perWorker: Array.from({ length: limits.workers }, () => 0), timeouts: 0, outOfMemory: 0, busy: 0, replaced: 0 };
    this.slots = Array.from({ length: limits.workers }, (_, index) => this.launch({ index, worker: undefined as unknown as RenderWorker, ready: false, busy: false, failedStarts: 0 }));
  }

  /** Settles when every worker is ready; rejects with why when one could not start (the caller should close the pool). */
  async started(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.ready.catch((e: WorkerExit) => {
      throw new Error(`a render worker could not start (${e.detail})${e.outOfMemory ? ': raise --worker-memory' : ''}`);
    })));
    this.running = true;
  }

  /** Renders `request` on a worker, now or once one is free; `gone` is asked before it starts. */
  submit(request: WarmRequest, gone: () => boolean): Promise<PoolAnswer> {
    return new Promise((answer) => {
      const idle = this.slots.some((s) => s.ready && !s.busy);
      if (!idle && this.queue.length >= this.limits.maxQueue) this.dropGone();
      if (!idle && this.queue.length >= this.limits.maxQueue) {
        this.stats.busy++;
        this.log(`busy: ${this.queue.length} waiting, request refused`);
        return answer(failure(busy(this.limits)));
      }
      this.queue.push({ request, gone, answer });
      this.dispatch();
    });
  }

  /** Ends every worker; waiting requests are declined (their clients run cold). */
  close(): void {
    this.closed = true;
    for (const w of this.queue.splice(0)) w.answer({ type: 'declined', reason: 'the server is stopping' });
    for (const s of this.slots) s.worker.kill();
  }

  /** Starts the slot's worker and wires its end to a replacement. */
  private launch(slot: Slot): Slot {
    const worker = this.spawn();
    slot.worker = worker;
    slot.ready = false;
    slot.busy = false;
    worker.ready.then(() => {
      if (slot.worker !== worker) return;
      slot.ready = true;
      slot.failedStarts = 0;
      this.dispatch();
    }, () => { /* reported through `exited` below */ });
    void worker.exited.then((exit) => {
      if (slot.worker !== worker || this.closed) return;
      const startFailed = !slot.ready;
      slot.ready = false;
      slot.busy = false;
      if (!startFailed) {
        this.stats.replaced++;
        this.launch(slot);
        return;
      }
      if (!this.running) return; // started() reports it
      slot.failedStarts++;
      const delay = Math.min(1000 * 2 ** (slot.failedStarts - 1), MAX_RETRY_MS);
      this.log(`a render worker could not start (${exit.detail}); retrying in ${delay / 1000} s`);
      if (!this.slots.some((s) => s.ready || s.failedStarts === 0)) {
        for (const w of this.queue.splice(0)) w.answer({ type: 'declined', reason: 'no render worker could start' });
      }
      setTimeout(() => { if (!this.closed && slot.worker === worker) this.launch(slot); }, delay).unref();
    });
    return slot;
  }

  /** Removes the waiting requests whose clients have gone (they get a decline nobody reads). */
  private dropGone(): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].gone()) this.queue.splice(i, 1)[0].answer({ type: 'declined', reason: 'the client has gone' });
    }
  }

  /** Hands waiting requests to idle workers, in order. */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.busy) continue;
      let job = this.queue.shift();
      while (job?.gone()) {
        job.answer({ type: 'declined', reason: 'the client has gone' });
        job = this.queue.shift();
      }
      if (!job) return;
      this.run(slot, job);
    }
  }

  private run(slot: Slot, job: Waiting): void {
    const worker = slot.worker;
    slot.busy = true;
    let settled = false;
    const settle = (a: PoolAnswer) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      job.answer(a);
    };
    const timer = this.limits.requestTimeoutMs > 0 ? setTimeout(() => {
      this.stats.timeouts++;
      this.log(`a render ran longer than ${this.limits.requestTimeoutMs} ms: its worker is stopped and replaced`);
      settle(failure(timedOut(this.limits)));
      worker.kill();
    }, this.limits.requestTimeoutMs) : undefined;
    worker.render(job.request).then((outcome) => {
      if (outcome.type === 'result') this.stats.perWorker[slot.index]++;
      settle(outcome);
      if (slot.worker === worker) {
        slot.busy = false;
        this.dispatch();
      }
    }, (exit: WorkerExit) => {
      if (settled) return;
      if (exit.outOfMemory) {
        this.stats.outOfMemory++;
        this.log(`a render exhausted its worker's ${this.limits.workerMemoryMb} MiB heap: the worker is replaced`);
        return settle(failure(outOfMemory(this.limits)));
      }
      this.log(`a render worker ended during a render (${exit.detail}): the client runs cold; the worker is replaced`);
      settle({ type: 'declined', reason: `the render worker ended (${exit.detail})` });
    });
  }
}
