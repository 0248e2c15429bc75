/**
 * Runs one CLI command line inside this process as if it were a fresh `slipway` process of
 * the client: in the client's working directory, with the client's Slipway-relevant environment
 * and terminal flags, and with everything written to process.stdout / process.stderr captured.
 * It runs in a render worker process (render-worker.ts), one request at a time: cwd, env and the two
 * streams are process-wide.
 */
import { FORWARDED_ENV, type WarmRequest } from './protocol';

/** The CLI entry (`run` of src/cli/main.ts): arguments in, exit code out, never exits the process. */
export type CliRun = (args: readonly string[]) => Promise<number>;

/** What a command printed and how it exited. */
export interface Captured {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

/** Thrown when the request cannot be run here at all (its directory is gone): the client goes cold. */
export class NotRunnable extends Error {}

type Write = NodeJS.WriteStream['write'];

/** Replaces `stream.write` and its `isTTY` flag until the returned function restores them. */
function capture(stream: NodeJS.WriteStream, tty: boolean, into: Buffer[]): () => void {
  const write = stream.write;
  const own = Object.getOwnPropertyDescriptor(stream, 'isTTY');
  stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), cb?: (e?: Error | null) => void) => {
    const done = typeof encoding === 'function' ? encoding : cb;
    into.push(typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : Buffer.from(chunk));
    if (done) process.nextTick(done);
    return true;
  }) as Write;
  Object.defineProperty(stream, 'isTTY', { value: tty || undefined, configurable: true, writable: true });
  return () => {
    stream.write = write;
    if (own) Object.defineProperty(stream, 'isTTY', own);
    else delete (stream as { isTTY?: boolean }).isTTY;
  };
}

/** Swaps the forwarded environment variables for the request's until the returned function restores them. */
function swapEnv(env: Readonly<Record<string, string>>): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const k of Object.keys(process.env)) if (FORWARDED_ENV.test(k)) saved[k] = process.env[k];
  for (const k of Object.keys(saved)) delete process.env[k];
  for (const [k, v] of Object.entries(env)) {
    if (!FORWARDED_ENV.test(k)) continue;
    if (!(k in saved)) saved[k] = undefined;
    process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** Runs `request.args` through `cli` as the client's process would have, and returns what it printed. */
export async function runCaptured(cli: CliRun, request: WarmRequest): Promise<Captured> {
  const home = process.cwd();
  try {
    process.chdir(request.cwd);
  } catch (e) {
    throw new NotRunnable(`cannot enter ${request.cwd}: ${(e as Error).message}`);
  }
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const restore = [capture(process.stdout, request.tty.stdout, out), capture(process.stderr, request.tty.stderr, err), swapEnv(request.env)];
  const exitCode = process.exitCode;
  try {
    const code = await cli(request.args);
    return { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
  } finally {
    for (const r of restore.reverse()) r();
    process.exitCode = exitCode;
    process.chdir(home);
  }
}
