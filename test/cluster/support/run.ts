/**
 * Running the real tools (kubectl, helm 3/4, the checkers) asynchronously, so that vitest's
 * timeouts apply and independent steps can overlap. Binaries come from bootstrap-tools.sh.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TOOLS_BIN, type RunResult } from '../controlplane';

export type { RunResult };

/** Absolute path of a bootstrapped tool; throws naming the bootstrap command when it is missing. */
export function tool(name: string): string {
  const file = path.join(TOOLS_BIN, name);
  if (!fs.existsSync(file)) {
    throw new Error(`${name} is not installed in ${TOOLS_BIN}: run scripts/bootstrap-tools.sh cluster`);
  }
  return file;
}

export interface RunOptions {
  /** Written to stdin. */
  readonly input?: string;
  /** Kill after this many ms. @default 240_000 */
  readonly timeoutMs?: number;
  readonly env?: Record<string, string>;
  readonly cwd?: string;
}

/** Runs a bootstrapped tool; never throws for a non-zero exit (the caller asserts on it). */
export function run(name: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(tool(name), args, {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: opts.timeoutMs ?? 240_000,
      env: { ...process.env, ...opts.env },
      cwd: opts.cwd,
    }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      const killed = err && (err as { killed?: boolean }).killed ? `\n(killed after ${opts.timeoutMs ?? 240_000} ms)` : '';
      resolve({ code, stdout: stdout ?? '', stderr: (stderr ?? '') + killed });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** `cmd args…` followed by its exit code and output, for assertion messages. */
export function explain(name: string, args: string[], r: RunResult): string {
  return `$ ${name} ${args.join(' ')}\nexit ${r.code}\n--- stdout\n${r.stdout.trim()}\n--- stderr\n${r.stderr.trim()}`;
}

/** Runs and throws (with the full command and output) unless it exits 0. */
export async function runOk(name: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(name, args, opts);
  if (r.code !== 0) throw new Error(explain(name, args, r));
  return r;
}

/** Polls `check` until it returns a truthy value or the deadline passes (then throws `describe()`). */
export async function eventually<T>(
  what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000, describe?: () => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${describe ? `\n${await describe()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** First line of a tool's version output ("(not installed)" when absent). */
export async function versionOf(name: string, args: string[]): Promise<string> {
  if (!fs.existsSync(path.join(TOOLS_BIN, name))) return '(not installed)';
  const r = await run(name, args, { timeoutMs: 30_000 });
  return `${r.stdout}${r.stderr}`.trim().split('\n')[0] ?? '';
}
