/**
 * The warm renderer's bounds with real processes and real inputs (no test hooks in the product):
 * a fleet of thousands of services that takes seconds to render runs into a 1 s request timeout;
 * specs whose config files make a render need hundreds of MiB of heap run into a 48 MiB worker
 * bound; a full queue answers "busy"; a killed worker is replaced; many clients at once on a pool of
 * workers get exactly the cold path's bytes. In every case the server stays up and serves the next
 * request correctly, and a failed request prints nothing on stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES, WARM_ONLY, buildClient, childPids, cleanup, cold, startServer, temp, warm, writeFleet, type Ran } from './warm-helpers';

let client: string;
beforeAll(() => { client = buildClient(); }, 120_000);
afterAll(cleanup);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const GHILLIE = ['synth', '--stdout', 'ghillie.yaml'];

describe('request timeout and bounded queue (one worker, one waiting request, 1 s)', () => {
  it('a render over the timeout fails with exit 3 naming the bound; the one waiting is served; one more is "busy"', async () => {
    const fleet = temp('fleet');
    writeFleet(fleet, 5000); // about 5 s warm on a 2-core machine
    const server = await startServer(temp('sock'), ['--workers', '1', '--max-queue', '1'], { SLIPWAY_SERVE_TIMEOUT: '1' });
    try {
      expect(server.log()).toContain('1 render worker of 128 MiB heap, queue 1, request timeout 1 s');
      const t0 = Date.now();
      const slow = warm(client, server.socket, ['synth', '--stdout', '.'], fleet, WARM_ONLY);
      await sleep(300);
      const waiting = warm(client, server.socket, GHILLIE, EXAMPLES, WARM_ONLY);
      await sleep(200);
      const refused = await warm(client, server.socket, GHILLIE, EXAMPLES, WARM_ONLY);
      const refusedAfter = Date.now() - t0;
      expect(refused.status).toBe(3);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toMatch(/^error: slipway serve is busy: its render worker is busy and 1 request is already waiting \(--max-queue\); nothing was rendered\./);

      const s = await slow;
      const slowTook = Date.now() - t0;
      expect(refusedAfter).toBeLessThan(slowTook); // refused at once, not after the slow one
      expect(s.status).toBe(3);
      expect(s.stdout).toBe('');
      expect(s.stderr).toBe('error: slipway serve stopped this render after 1 s (its request timeout); nothing was printed. '
        + 'Raise the limit on the server with `slipway serve --request-timeout <seconds>` or SLIPWAY_SERVE_TIMEOUT=<seconds> (0: no limit), '
        + 'or run `slipway synth --stdout` cold.\n');
      expect(slowTook).toBeGreaterThanOrEqual(1000);
      expect(slowTook).toBeLessThan(4500);

      const c = await cold(GHILLIE, EXAMPLES);
      expect(c.status).toBe(0);
      expect(await waiting).toEqual(c);
      expect(await warm(client, server.socket, GHILLIE, EXAMPLES, WARM_ONLY)).toEqual(c);
      expect(server.proc.exitCode).toBeNull();
    } finally {
      await server.stop();
    }
    expect(server.log()).toMatch(/1 timed out, 0 out of memory, 1 refused busy; 1 workers replaced/);
  }, 120_000);
});

describe('heap bound per worker (48 MiB)', () => {
  it('a render that needs more fails with exit 3 naming the bound; the worker is replaced and the next request is served', async () => {
    // 60 services, each with a ~0.9 MiB config file (under the 1 MiB limit): ~55 MiB of output, a few hundred MiB of heap.
    const heavy = temp('heavy');
    writeFileSync(join(heavy, 'data.txt'), `${'0123456789abcdef'.repeat(6).concat('\n').repeat(9000)}`);
    for (let i = 0; i < 60; i++) {
      writeFileSync(join(heavy, `heavy-${i}.yaml`), `apiVersion: slipway.dev/v1alpha1\nname: heavy-${i}\nversion: "1"\nimage: {repository: ghcr.io/acme/heavy}\nconfig:\n  filesFrom: {data.txt: data.txt}\n`);
    }
    const server = await startServer(temp('sock'), ['--worker-memory', '48', '--workers', '1']);
    try {
      const r = await warm(client, server.socket, ['synth', '--stdout', '.'], heavy, WARM_ONLY);
      expect(r.status).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('error: this render needed more than the 48 MiB of JavaScript heap a slipway serve worker may use, and was stopped; nothing was printed. '
        + 'Raise the limit on the server with `slipway serve --worker-memory <MiB>` or SLIPWAY_SERVE_WORKER_MEMORY=<MiB> (0: Node.js\'s default), '
        + 'or run `slipway synth --stdout` cold.\n');
      // The same input within the bound renders (cold: Node.js's own heap limit).
      const one = ['synth', '--stdout', 'heavy-0.yaml'];
      const [w, c] = await Promise.all([warm(client, server.socket, one, heavy, WARM_ONLY), cold(one, heavy)]);
      expect(c.status).toBe(0);
      expect(w).toEqual(c);
      expect(await warm(client, server.socket, GHILLIE, EXAMPLES, WARM_ONLY)).toEqual(await cold(GHILLIE, EXAMPLES));
      expect(server.proc.exitCode).toBeNull();
    } finally {
      await server.stop();
    }
    expect(server.log()).toMatch(/0 timed out, 1 out of memory, 0 refused busy; 1 workers replaced/);
  }, 120_000);
});

describe('a pool of workers', () => {
  it('24 clients at once on 3 workers get the cold path\'s bytes; more than one worker rendered', async () => {
    const server = await startServer(temp('sock'), ['--workers', '3']);
    try {
      expect(childPids(server.proc.pid!)).toHaveLength(3);
      const files = ['ghillie.yaml', '.'];
      const jobs = Array.from({ length: 24 }, (_, i) => {
        if (i % 3 !== 2) return { dir: EXAMPLES, args: ['synth', '--stdout', '--input-root', '.', '--', files[i % files.length]] };
        const dir = join(temp('conc'), 'd');
        mkdirSync(dir);
        writeFileSync(join(dir, 'web.yaml'), `apiVersion: slipway.dev/v1alpha1\nname: web-${i}\nversion: "1"\nimage: {repository: ghcr.io/acme/web-${i}}\nports: [{name: http, containerPort: ${8000 + i}}]\n`);
        return { dir, args: ['synth', '--stdout', 'web.yaml'] };
      });
      // A client's own SLIPWAY_SERVE_* reach its render (forwarded like every SLIPWAY_*) but never the server's bounds.
      const clientEnv = { ...WARM_ONLY, SLIPWAY_SERVE_TIMEOUT: '0.001', SLIPWAY_SERVE_MAX_QUEUE: '0' };
      const warmRuns = await Promise.all(jobs.map((j) => warm(client, server.socket, j.args, j.dir, clientEnv)));
      const expected = new Map<string, Ran>();
      for (const [i, j] of jobs.entries()) {
        const key = `${j.dir} ${j.args.join(' ')}`;
        if (!expected.has(key)) expected.set(key, await cold(j.args, j.dir));
        expect(expected.get(key)!.status).toBe(0);
        expect({ i, ...warmRuns[i] }).toEqual({ i, ...expected.get(key)! });
      }
    } finally {
      await server.stop();
    }
    const perWorker = /per worker: ([\d, ]+)\)/.exec(server.log())![1].split(', ').map(Number);
    expect(perWorker.reduce((a, b) => a + b)).toBe(24);
    expect(perWorker.filter((n) => n > 0).length).toBeGreaterThan(1);
  }, 180_000);

  it('a killed worker is replaced and the server keeps serving; the workers end with the server', async () => {
    const server = await startServer(temp('sock'), ['--workers', '2']);
    let second: number[];
    try {
      const first = childPids(server.proc.pid!);
      expect(first).toHaveLength(2);
      process.kill(first[0], 'SIGKILL');
      process.kill(first[1], 'SIGKILL');
      const c = await cold(GHILLIE, EXAMPLES);
      // Served by a replacement (it waits in the queue until one is ready), never cold.
      expect(await warm(client, server.socket, GHILLIE, EXAMPLES, WARM_ONLY)).toEqual(c);
      second = childPids(server.proc.pid!);
      expect(second).toHaveLength(2);
      expect(second.some((p) => first.includes(p))).toBe(false);
    } finally {
      // A server killed outright leaves no worker behind: they end when their channel to it closes.
      server.proc.kill('SIGKILL');
      await new Promise((r) => server.proc.once('exit', r));
    }
    const alive = () => second.filter((p) => { try { process.kill(p, 0); return true; } catch { return false; } });
    for (let i = 0; i < 100 && alive().length; i++) await sleep(50);
    expect(alive()).toEqual([]);
  }, 60_000);

});
