/**
 * Real processes for the warm-renderer tests: the compiled CLI (lib/, built by `npm test`'s tsc),
 * `slipway serve` started as a child process, and the Go client (warm-client/) built with `go build`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
/** The examples every warm-vs-cold test renders. */
export const EXAMPLES = join(ROOT, 'examples');
/** Client env whose cold fallback cannot run: a warm test then passes only if the server answered. */
export const WARM_ONLY = { SLIPWAY_COLD: '/nonexistent/slipway' };
export const CLI = join(ROOT, 'lib', 'cli', 'main.js');

const temps: string[] = [];
/** A new private temporary directory (mode 0700), removed by cleanup(). */
export function temp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `slipway-${prefix}-`));
  chmodSync(d, 0o700);
  temps.push(d);
  return d;
}

/** Builds warm-client/ into a temporary directory and returns the binary's path. */
export function buildClient(): string {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build it with \`npx tsc -p .\` (npm test does)`);
  const out = join(temp('client'), 'slipway-warm');
  const r = spawnSync('go', ['build', '-trimpath', '-o', out, '.'], { cwd: join(ROOT, 'warm-client'), encoding: 'utf8', env: { ...process.env, CGO_ENABLED: '0' } });
  if (r.status !== 0) throw new Error(`go build of warm-client failed: ${r.stderr || r.error}`);
  return out;
}

/** A directory with `slipway` on it: the cold CLI, the client's fallback. */
export function coldOnPath(): string {
  const bin = temp('bin');
  writeFileSync(join(bin, 'slipway'), `#!/bin/sh\nexec node ${JSON.stringify(CLI)} "$@"\n`);
  chmodSync(join(bin, 'slipway'), 0o755);
  return bin;
}

/** A running `slipway serve`: its socket and process. */
export interface Served {
  readonly socket: string;
  readonly proc: ChildProcess;
  /** What the server wrote to its stderr so far. */
  log(): string;
  stop(): Promise<void>;
}

/** Starts `slipway serve --socket <dir>/warm.sock [...args]` (env added to the test's) and waits until it listens. */
export async function startServer(dir = temp('sock'), args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const socket = join(dir, 'warm.sock');
  const proc = spawn(process.execPath, [CLI, 'serve', '--socket', socket, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let log = '';
  proc.stderr!.on('data', (d) => { log += d; });
  const deadline = Date.now() + 20_000;
  while (!log.includes('listening on')) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`slipway serve did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    socket,
    proc,
    log: () => log,
    stop: () => new Promise((done) => {
      if (proc.exitCode !== null) return done();
      proc.once('exit', () => done());
      proc.kill('SIGTERM');
    }),
  };
}

/** What a process printed and its exit status. */
export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command asynchronously (so many can run at once) and collects its output. */
export function run(cmd: string, args: readonly string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Ran> {
  return new Promise((done, fail) => {
    const p = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('error', fail);
    p.on('close', (status) => done({ status, stdout, stderr }));
  });
}

/** The cold path: `node lib/cli/main.js <args>` in cwd. */
export function cold(args: readonly string[], cwd: string): Promise<Ran> {
  return run(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '' } });
}

/** The warm path: the Go client with SLIPWAY_SOCKET, the cold CLI on PATH for its fallback. */
export function warm(client: string, socket: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return run(client, args, { cwd, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', PATH: `${coldOnPathOnce()}:${process.env.PATH}`, SLIPWAY_SOCKET: socket, ...env } });
}

let coldBin: string | undefined;
function coldOnPathOnce(): string {
  coldBin ??= coldOnPath();
  return coldBin;
}

/** The pids of the processes whose parent is `pid` (a server's render workers). */
export function childPids(pid: number): number[] {
  const kids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat: string;
    try { stat = readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; }
    // Field 4 (ppid) follows the command name in parentheses, which may itself contain spaces.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) kids.push(Number(d));
  }
  return kids.sort((a, b) => a - b);
}

/** Writes a fleet of `n` small valid services (svc-XXXX.yaml) into `dir`: a real input that takes long to render. */
export function writeFleet(dir: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const name = `svc-${String(i).padStart(5, '0')}`;
    writeFileSync(join(dir, `${name}.yaml`), `apiVersion: slipway.dev/v1alpha1\nname: ${name}\nversion: "1.0.0"\nimage: {repository: ghcr.io/acme/${name}}\nports: [{name: http, containerPort: 8080}]\nhealth: {http: {path: /healthz, port: http}}\nautoscaling: {minReplicas: 2, maxReplicas: 10}\n`);
  }
}

/** Removes the temporary directories. */
export function cleanup(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
  coldBin = undefined;
}
