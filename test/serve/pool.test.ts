/**
 * The render pool's rules with fake workers (no processes): dispatch to the first idle worker,
 * parallel up to the pool size, a bounded queue with a "busy" error beyond it, a timeout that kills
 * and replaces the worker, heap exhaustion and crashes answered and replaced, clients that left
 * skipped, and a worker that cannot start reported.
 */
import { describe, expect, it, vi } from 'vitest';
import { RenderPool, type PoolAnswer } from '../../src/serve/pool';
import type { ServeLimits } from '../../src/serve/limits';
import type { RenderOutcome, RenderWorker, WorkerExit } from '../../src/serve/worker-process';
import type { WarmRequest } from '../../src/serve/protocol';

/** A worker the test drives: it answers or dies when told. */
class FakeWorker implements RenderWorker {
  readonly ready: Promise<void>;
  readonly exited: Promise<WorkerExit>;
  killed = false;
  current?: { request: WarmRequest; done(o: RenderOutcome): void; fail(e: WorkerExit): void };
  private becomeReady!: () => void;
  private failReady!: (e: WorkerExit) => void;
  private exit!: (e: WorkerExit) => void;

  constructor(readonly id: number) {
    this.ready = new Promise((done, fail) => { this.becomeReady = done; this.failReady = fail; });
    this.ready.catch(() => {});
    this.exited = new Promise((done) => { this.exit = done; });
  }
  start(): void { this.becomeReady(); }
  render(request: WarmRequest): Promise<RenderOutcome> {
    if (this.current) throw new Error('two renders at once');
    return new Promise((done, fail) => { this.current = { request, done, fail }; });
  }
  /** Answers the render in flight with exit `code` and `text` on stdout. */
  answer(code = 0, text = `out of ${this.id}`): void {
    const c = this.current!;
    this.current = undefined;
    c.done({ type: 'result', code, stdout: Buffer.from(text), stderr: Buffer.alloc(0) });
  }
  die(e: WorkerExit): void {
    this.failReady(e);
    this.current?.fail(e);
    this.current = undefined;
    this.exit(e);
  }
  kill(): void {
    this.killed = true;
    this.die({ outOfMemory: false, detail: 'signal SIGKILL' });
  }
}

const limits = (l: Partial<ServeLimits> = {}): ServeLimits => ({ workers: 2, maxQueue: 4, requestTimeoutMs: 0, workerMemoryMb: 128, ...l });
const req = (tag: string): WarmRequest => ({ cwd: '/', args: ['synth', '--stdout', tag], env: {}, tty: { stdout: false, stderr: false } });
const tick = () => new Promise((r) => setTimeout(r, 0));
/** Lets promise callbacks run (under fake timers too). */
const flush = async () => { for (let i = 0; i < 10; i++) await Promise.resolve(); };

/** A pool over fake workers that start at once unless `manualStart`. */
function pool(l: Partial<ServeLimits> = {}, manualStart = false) {
  const workers: FakeWorker[] = [];
  const lines: string[] = [];
  const p = new RenderPool(limits(l), () => {
    const w = new FakeWorker(workers.length);
    workers.push(w);
    if (!manualStart) w.start();
    return w;
  }, (line) => lines.push(line));
  return { p, workers, lines };
}

const text = (a: PoolAnswer) => (a.type === 'result' ? { code: a.code, stdout: a.stdout.toString(), stderr: a.stderr.toString() } : a);

describe('RenderPool', () => {
  it('dispatches to the first idle worker and renders up to the pool size in parallel', async () => {
    const { p, workers } = pool({ workers: 3 });
    await p.started();
    const answers = [p.submit(req('a'), () => false), p.submit(req('b'), () => false)];
    await tick();
    expect(workers.map((w) => w.current?.request.args[2])).toEqual(['a', 'b', undefined]);
    workers[1].answer();
    workers[0].answer();
    expect((await Promise.all(answers)).map(text)).toEqual([{ code: 0, stdout: 'out of 0', stderr: '' }, { code: 0, stdout: 'out of 1', stderr: '' }]);
    // Sequential requests all go to the first worker (it is idle again each time).
    for (const t of ['c', 'd']) {
      const a = p.submit(req(t), () => false);
      await tick();
      expect(workers[0].current?.request.args[2]).toBe(t);
      workers[0].answer();
      await a;
    }
    expect(p.stats.perWorker).toEqual([3, 1, 0]);
  });

  it('queues up to maxQueue in order, then answers "busy" at once (exit 3, nothing on stdout)', async () => {
    const { p, workers } = pool({ workers: 1, maxQueue: 2 });
    await p.started();
    const first = p.submit(req('1'), () => false);
    const waiting = [p.submit(req('2'), () => false), p.submit(req('3'), () => false)];
    const refused = text(await p.submit(req('4'), () => false));
    expect(refused).toMatchObject({ code: 3, stdout: '' });
    expect((refused as { stderr: string }).stderr).toMatch(/^error: slipway serve is busy: its render worker is busy and 2 requests are already waiting \(--max-queue\)/);
    expect((refused as { stderr: string }).stderr).toContain('SLIPWAY_SERVE_MAX_QUEUE');
    expect(p.stats.busy).toBe(1);
    for (const t of ['1', '2', '3']) {
      await tick();
      expect(workers[0].current?.request.args[2]).toBe(t);
      workers[0].answer(0, t);
    }
    expect((await Promise.all([first, ...waiting])).map((a) => text(a))).toEqual(['1', '2', '3'].map((t) => ({ code: 0, stdout: t, stderr: '' })));
  });

  it('with maxQueue 0 nothing waits: busy as soon as every worker renders', async () => {
    const { p, workers } = pool({ workers: 1, maxQueue: 0 });
    await p.started();
    const first = p.submit(req('1'), () => false);
    expect(text(await p.submit(req('2'), () => false))).toMatchObject({ code: 3, stderr: expect.stringContaining('no request may wait (--max-queue 0)') });
    workers[0].answer();
    expect(text(await first)).toMatchObject({ code: 0 });
  });

  it('stops a render over the timeout: exit 3 naming the bound, the worker killed and replaced, the next request served', async () => {
    const { p, workers, lines } = pool({ workers: 1, requestTimeoutMs: 50 });
    await p.started();
    const slow = p.submit(req('slow'), () => false);
    const next = p.submit(req('next'), () => false);
    const a = text(await slow);
    expect(a).toMatchObject({ code: 3, stdout: '' });
    expect((a as { stderr: string }).stderr).toMatch(/^error: slipway serve stopped this render after 0\.05 s \(its request timeout\); nothing was printed\. Raise the limit on the server with `slipway serve --request-timeout <seconds>` or SLIPWAY_SERVE_TIMEOUT=<seconds> \(0: no limit\)/);
    expect(workers[0].killed).toBe(true);
    await tick();
    expect(workers).toHaveLength(2);
    expect(workers[1].current?.request.args[2]).toBe('next');
    workers[1].answer(0, 'fine');
    expect(text(await next)).toEqual({ code: 0, stdout: 'fine', stderr: '' });
    expect(p.stats).toMatchObject({ timeouts: 1, replaced: 1 });
    expect(lines.some((l) => l.includes('longer than 50 ms'))).toBe(true);
  });

  it('a render that finishes in time is not stopped (no timer left behind)', async () => {
    const { p, workers } = pool({ workers: 1, requestTimeoutMs: 30 });
    await p.started();
    const a = p.submit(req('quick'), () => false);
    await tick();
    workers[0].answer();
    expect(text(await a)).toMatchObject({ code: 0 });
    await new Promise((r) => setTimeout(r, 60));
    expect(workers[0].killed).toBe(false);
    expect(p.stats.timeouts).toBe(0);
  });

  it('heap exhaustion: exit 3 naming --worker-memory and its value; a crash of another kind: declined (the client runs cold); both replaced', async () => {
    const { p, workers } = pool({ workers: 1, workerMemoryMb: 64 });
    await p.started();
    const big = p.submit(req('big'), () => false);
    await tick();
    workers[0].die({ outOfMemory: true, detail: 'signal SIGABRT: JavaScript heap out of memory' });
    const a = text(await big);
    expect(a).toMatchObject({ code: 3, stdout: '' });
    expect((a as { stderr: string }).stderr).toContain('more than the 64 MiB of JavaScript heap');
    expect((a as { stderr: string }).stderr).toContain('`slipway serve --worker-memory <MiB>` or SLIPWAY_SERVE_WORKER_MEMORY=<MiB>');
    await tick();
    const crash = p.submit(req('crash'), () => false);
    await tick();
    workers[1].die({ outOfMemory: false, detail: 'signal SIGSEGV' });
    expect(await crash).toEqual({ type: 'declined', reason: 'the render worker ended (signal SIGSEGV)' });
    await tick();
    const after = p.submit(req('after'), () => false);
    await tick();
    workers[2].answer();
    expect(text(await after)).toMatchObject({ code: 0 });
    expect(p.stats).toMatchObject({ outOfMemory: 1, replaced: 2 });
  });

  it('replaces an idle worker that dies, and skips requests whose client has gone', async () => {
    const { p, workers } = pool({ workers: 1 });
    await p.started();
    workers[0].die({ outOfMemory: false, detail: 'signal SIGKILL' });
    await tick();
    expect(workers).toHaveLength(2);
    const busy = p.submit(req('1'), () => false);
    let gone = false;
    const left = p.submit(req('left'), () => gone);
    const stays = p.submit(req('stays'), () => false);
    gone = true;
    await tick();
    workers[1].answer();
    await busy;
    await tick();
    expect(workers[1].current?.request.args[2]).toBe('stays');
    expect(await left).toEqual({ type: 'declined', reason: 'the client has gone' });
    workers[1].answer();
    await stays;
  });

  it('once running, retries a worker that cannot start after 1 s; meanwhile waiting requests are declined (the clients run cold)', async () => {
    const { p, workers, lines } = pool({ workers: 1 }, true);
    workers[0].start();
    await p.started();
    vi.useFakeTimers();
    try {
      workers[0].die({ outOfMemory: false, detail: 'signal SIGKILL' });
      await flush();
      expect(workers).toHaveLength(2);
      const waiting = p.submit(req('w'), () => false);
      workers[1].die({ outOfMemory: false, detail: 'exit code 1: Error: Cannot find module' });
      await flush();
      expect(await waiting).toEqual({ type: 'declined', reason: 'no render worker could start' });
      expect(lines.at(-1)).toBe('a render worker could not start (exit code 1: Error: Cannot find module); retrying in 1 s');
      await vi.advanceTimersByTimeAsync(999);
      expect(workers).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(workers).toHaveLength(3);
      workers[2].start();
      await flush();
      const after = p.submit(req('after'), () => false);
      await flush();
      workers[2].answer();
      expect(text(await after)).toMatchObject({ code: 0 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a worker that cannot start', async () => {
    const { p, workers } = pool({ workers: 2 }, true);
    workers[0].start();
    workers[1].die({ outOfMemory: true, detail: 'signal SIGABRT: JavaScript heap out of memory' });
    await expect(p.started()).rejects.toThrow('a render worker could not start (signal SIGABRT: JavaScript heap out of memory): raise --worker-memory');
    p.close();
  });
});
