/**
 * What a client prints when the warm renderer stopped or refused its request because of one of its
 * bounds (limits.ts): the render took too long, needed too much memory, or every worker was busy
 * and the queue full. Each names the bound, its value, and the flag and variable that change it.
 * The exit status is 3 (an unexpected failure; the spec itself may be fine) and nothing is printed
 * on stdout, so a generate step never passes on part of a render.
 */
import { EXIT } from '../cli/output';
import { seconds, type ServeLimits } from './limits';

/** A failed request's answer: exit status and the text for stderr (stdout stays empty). */
export interface LimitError {
  readonly code: number;
  readonly stderr: string;
}

const error = (text: string): LimitError => ({ code: EXIT.INTERNAL, stderr: `error: ${text}\n` });

/** The render ran longer than the request timeout and was stopped. */
export function timedOut(limits: ServeLimits): LimitError {
  return error(`slipway serve stopped this render after ${seconds(limits.requestTimeoutMs)} (its request timeout); nothing was printed. `
    + 'Raise the limit on the server with `slipway serve --request-timeout <seconds>` or SLIPWAY_SERVE_TIMEOUT=<seconds> (0: no limit), '
    + 'or run `slipway synth --stdout` cold.');
}

/** The render needed more JavaScript heap than a worker may use; the worker was stopped. */
export function outOfMemory(limits: ServeLimits): LimitError {
  return error(`this render needed more than the ${limits.workerMemoryMb} MiB of JavaScript heap a slipway serve worker may use, and was stopped; nothing was printed. `
    + 'Raise the limit on the server with `slipway serve --worker-memory <MiB>` or SLIPWAY_SERVE_WORKER_MEMORY=<MiB> (0: Node.js\'s default), '
    + 'or run `slipway synth --stdout` cold.');
}

/** Every worker was busy and the queue full: the request was not taken. */
export function busy(limits: ServeLimits): LimitError {
  const workers = limits.workers === 1 ? 'its render worker is busy' : `all ${limits.workers} render workers are busy`;
  const queue = limits.maxQueue === 0 ? 'no request may wait (--max-queue 0)' : `${limits.maxQueue} request${limits.maxQueue === 1 ? ' is' : 's are'} already waiting (--max-queue)`;
  return error(`slipway serve is busy: ${workers} and ${queue}; nothing was rendered. Try again, `
    + 'or raise `slipway serve --workers <n>` / `--max-queue <n>` (SLIPWAY_SERVE_WORKERS, SLIPWAY_SERVE_MAX_QUEUE) on the server.');
}
