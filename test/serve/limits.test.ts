/** `slipway serve`'s bounds: defaults, environment variables, flags over them, and what a bad value says. */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { resolveLimits } from '../../src/serve/limits';

describe('resolveLimits', () => {
  it('defaults: min(CPUs, 4) workers, 64 waiting, 30 s, 128 MiB', () => {
    expect(resolveLimits({}, {})).toEqual({ workers: Math.min(availableParallelism(), 4), maxQueue: 64, requestTimeoutMs: 30_000, workerMemoryMb: 128 });
  });

  it('reads SLIPWAY_SERVE_* and lets flags win; 0 turns the timeout and the heap bound off', () => {
    const env = { SLIPWAY_SERVE_WORKERS: '3', SLIPWAY_SERVE_MAX_QUEUE: '0', SLIPWAY_SERVE_TIMEOUT: '0.5', SLIPWAY_SERVE_WORKER_MEMORY: '0' };
    expect(resolveLimits({}, env)).toEqual({ workers: 3, maxQueue: 0, requestTimeoutMs: 500, workerMemoryMb: 0 });
    expect(resolveLimits({ workers: '1', maxQueue: '5', requestTimeout: '0', workerMemory: '256' }, env)).toEqual({ workers: 1, maxQueue: 5, requestTimeoutMs: 0, workerMemoryMb: 256 });
    expect(resolveLimits({}, { SLIPWAY_SERVE_TIMEOUT: '' }).requestTimeoutMs).toBe(30_000);
  });

  it('refuses bad values, naming the flag or variable and what to write', () => {
    expect(() => resolveLimits({ workers: '0' }, {})).toThrow('--workers "0": expected a whole number from 1 to 64');
    expect(() => resolveLimits({}, { SLIPWAY_SERVE_TIMEOUT: '30s' })).toThrow('SLIPWAY_SERVE_TIMEOUT "30s": expected seconds, e.g. 30 or 0.5 (0: no limit; at most 86400)');
    expect(() => resolveLimits({ workerMemory: '8' }, {})).toThrow('--worker-memory "8": expected MiB, a whole number from 16 to 1048576 (0: Node.js\'s default)');
    expect(() => resolveLimits({ maxQueue: '-1' }, {})).toThrow('--max-queue "-1": expected a whole number from 0 (no request waits) to 100000');
  });
});
