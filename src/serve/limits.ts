/**
 * The warm renderer's bounds: how many render workers it runs, how many requests may wait for one,
 * how long one render may take, and how much JavaScript heap one worker may use. Each has a flag of
 * `slipway serve` and an environment variable (read by the server at start, never from a request);
 * the flag wins. Every value is validated here, with a message that says what to write instead.
 */
import { availableParallelism } from 'node:os';
import { UsageError } from '../cli/output';

/** The bounds the pool works within (see {@link resolveLimits} for where they come from). */
export interface ServeLimits {
  /**
   * Render worker processes; requests run in parallel up to this many.
   * @default min(os.availableParallelism(), 4) — flag --workers, env SLIPWAY_SERVE_WORKERS
   */
  readonly workers: number;
  /**
   * Requests that may wait for a busy worker; one more is answered at once with a "busy" error
   * (exit 3). 0: none waits.
   * @default 64 — flag --max-queue, env SLIPWAY_SERVE_MAX_QUEUE
   */
  readonly maxQueue: number;
  /**
   * Longest one render may run, in milliseconds, from when a worker takes it; then the worker is
   * stopped and replaced and the request gets a timeout error (exit 3). 0: no limit.
   * @default 30 000 (30 s) — flag --request-timeout <seconds>, env SLIPWAY_SERVE_TIMEOUT (seconds)
   */
  readonly requestTimeoutMs: number;
  /**
   * V8 old-generation heap of one worker, in MiB (`--max-old-space-size`); a render that needs more
   * stops that worker, which is replaced, and the request gets a memory error (exit 3). The worker's
   * resident memory is about 60 MiB above this. 0: Node.js's own default (no Slipway bound).
   * @default 128 — flag --worker-memory <MiB>, env SLIPWAY_SERVE_WORKER_MEMORY
   */
  readonly workerMemoryMb: number;
}

/** Default of {@link ServeLimits.workers} on this machine. */
export const defaultWorkers = (): number => Math.max(1, Math.min(availableParallelism(), 4));
/** Default of {@link ServeLimits.maxQueue}. */
export const DEFAULT_MAX_QUEUE = 64;
/** Default of {@link ServeLimits.requestTimeoutMs}. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Default of {@link ServeLimits.workerMemoryMb}. */
export const DEFAULT_WORKER_MEMORY_MB = 128;
/** Smallest non-zero {@link ServeLimits.workerMemoryMb}: below it a worker cannot load Slipway. */
export const MIN_WORKER_MEMORY_MB = 16;

/** The flags of `slipway serve` that set limits, as commander gives them (strings, or absent). */
export interface LimitFlags {
  readonly workers?: string;
  readonly maxQueue?: string;
  readonly requestTimeout?: string;
  readonly workerMemory?: string;
}

interface Field {
  readonly flag: string;
  readonly env: string;
  /** What a valid value looks like, for the error message. */
  readonly expected: string;
  /** The value in the limit's unit, or undefined when `text` is not valid. */
  parse(text: string): number | undefined;
}

const integer = (min: number, max: number) => (t: string) => (/^\d+$/.test(t) && Number(t) >= min && Number(t) <= max ? Number(t) : undefined);

const FIELDS: Record<keyof LimitFlags, Field> = {
  workers: { flag: '--workers', env: 'SLIPWAY_SERVE_WORKERS', expected: 'a whole number from 1 to 64', parse: integer(1, 64) },
  maxQueue: { flag: '--max-queue', env: 'SLIPWAY_SERVE_MAX_QUEUE', expected: 'a whole number from 0 (no request waits) to 100000', parse: integer(0, 100_000) },
  requestTimeout: {
    flag: '--request-timeout',
    env: 'SLIPWAY_SERVE_TIMEOUT',
    expected: 'seconds, e.g. 30 or 0.5 (0: no limit; at most 86400)',
    parse: (t) => (/^\d+(\.\d+)?$/.test(t) && Number(t) <= 86_400 ? Math.round(Number(t) * 1000) : undefined),
  },
  workerMemory: {
    flag: '--worker-memory',
    env: 'SLIPWAY_SERVE_WORKER_MEMORY',
    expected: `MiB, a whole number from ${MIN_WORKER_MEMORY_MB} to 1048576 (0: Node.js's default)`,
    parse: (t) => { const n = integer(0, 1_048_576)(t); return n === 0 || (n !== undefined && n >= MIN_WORKER_MEMORY_MB) ? n : undefined; },
  },
};

/** One limit: the flag's value, else the environment variable's, else undefined. */
function pick(key: keyof LimitFlags, flags: LimitFlags, env: NodeJS.ProcessEnv): number | undefined {
  const f = FIELDS[key];
  const fromFlag = flags[key];
  const [source, text] = fromFlag !== undefined ? [f.flag, fromFlag] : [f.env, env[f.env]];
  if (text === undefined || (source === f.env && text === '')) return undefined;
  const value = f.parse(text.trim());
  if (value === undefined) throw new UsageError(`${source} ${JSON.stringify(text)}: expected ${f.expected}`);
  return value;
}

/** The limits from `slipway serve`'s flags, then its environment, then the defaults. Throws a UsageError (exit 2) on a bad value. */
export function resolveLimits(flags: LimitFlags, env: NodeJS.ProcessEnv = process.env): ServeLimits {
  return {
    workers: pick('workers', flags, env) ?? defaultWorkers(),
    maxQueue: pick('maxQueue', flags, env) ?? DEFAULT_MAX_QUEUE,
    requestTimeoutMs: pick('requestTimeout', flags, env) ?? DEFAULT_REQUEST_TIMEOUT_MS,
    workerMemoryMb: pick('workerMemory', flags, env) ?? DEFAULT_WORKER_MEMORY_MB,
  };
}

/** A duration in words for messages: `30 s`, `0.5 s`. */
export function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
