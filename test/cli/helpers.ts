/** Shared helpers of the CLI tests: build once, run the compiled CLI, temp copies, tree snapshots. */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const CLI = join(ROOT, 'lib', 'cli', 'main.js');
export const EXAMPLES = join(ROOT, 'examples');

/** Checks that the CLI is built (test/global-build.ts compiles and bundles once, before every test file). */
export function buildOnce(): void {
  if (!existsSync(CLI)) throw new Error('lib/cli/main.js was not built (test/global-build.ts runs tsc before the tests)');
}

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The signal that ended the process, if one did. */
  readonly signal?: NodeJS.Signals | null;
}

/** Runs `node lib/cli/main.js <args>` (no colour variables, not a TTY). */
export function slipway(args: readonly string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, CDK8S_OUTDIR: undefined, SLIPWAY_JOBS: undefined, ...opts.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env: env as NodeJS.ProcessEnv, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

/** A fresh temporary directory. */
export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `slipway-cli-${tag}-`));
}

/** A temporary copy of the example specs (top-level *.yaml and anything they read, e.g. filesFrom). */
export function copyExamples(): string {
  const dir = join(tempDir('examples'), 'examples');
  cpSync(EXAMPLES, dir, { recursive: true, filter: (src) => !src.includes(`${join('examples', 'gitops-repo')}`) });
  return dir;
}

/** Example spec files (top level of examples/). */
export function exampleFiles(dir = EXAMPLES): string[] {
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
}

/** Every file under `dir`: relative path -> content. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const d of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(r);
      else out.set(r, readFileSync(join(dir, r), 'utf8'));
    }
  };
  walk('');
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Every file and directory under `dir` with its mtime and content (to prove nothing changed). */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const d of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      const st = statSync(join(dir, r));
      if (d.isDirectory()) {
        out.set(`${r}/`, String(st.mtimeMs));
        walk(r);
      } else out.set(r, `${st.mtimeMs}|${readFileSync(join(dir, r), 'utf8')}`);
    }
  };
  walk('');
  return out;
}

/** Sibling entries of `dir` left by Slipway (temporary or old output directories). */
export function leftovers(dir: string): string[] {
  const parent = join(dir, '..');
  const base = dir.split('/').pop()!;
  return readdirSync(parent).filter((n) => n.startsWith(`${base}.slipway-tmp-`));
}

/** A minimal valid spec (matches test/support/render.ts's BASE). */
export const BASE = 'name: web\nversion: "1.0.0"\nimage: { repository: acme/web }\nports: [{ name: http, containerPort: 8080 }]\n';

/** How many services the examples render and how many charts they get (a sidecar renders in its host's chart), from a plain synth. */
export function exampleCounts(): { services: number; charts: number } {
  const out = join(tempDir('counts'), 'out');
  const r = slipway(['synth', EXAMPLES, '-o', out]);
  const services = Number(/^synthesized (\d+) services/m.exec(r.stdout)?.[1]);
  if (r.status !== 0 || !services) throw new Error(`synth of the examples failed: ${r.stderr}`);
  const charts = readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(out, d.name, 'chart'))).length;
  return { services, charts };
}
