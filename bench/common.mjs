/**
 * What the bench scripts (run, cold, warm, examples) share: paths, `--name value` options, the
 * failure exit, shell quoting, the load average, and the tools they compare with (helm 3 from the
 * tools cache, hyperfine).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/ and the repository root; bench/out/ holds raw results. */
export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..');
export const OUT = join(HERE, 'out');
/** The compiled CLI the benches time. */
export const CLI = join(ROOT, 'lib', 'cli', 'main.js');

const args = process.argv.slice(2);
/** The value after `--<name>` on the command line, else `dflt`. */
export const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
/** `--<name>` is on the command line. */
export const flag = (name) => args.includes(`--${name}`);

/** A function that prints `bench/<script>: <message>` and exits 2. */
export const failer = (script) => (message) => { console.error(`bench/${script}: ${message}`); process.exit(2); };

/** One shell word. */
export const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
/** The 1, 5 and 15 minute load averages, as printed in the results. */
export const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
/** `cmd` is on PATH. */
export const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** helm 3 from the tools cache (scripts/bootstrap-tools.sh), else the npm one; undefined when neither. */
export function findHelm() {
  const tools = process.env.SLIPWAY_TOOLS_DIR || join(homedir(), '.cache', 'slipway-tools');
  return [join(tools, 'bin', 'helm3'), join(ROOT, 'node_modules', '.bin', 'helm')].find(existsSync);
}

/** Checks the CLI is built, helm is there and (unless `hyperfine: false`) hyperfine; returns helm's path. */
export function requireTools(fail, { hyperfine = true } = {}) {
  if (!existsSync(CLI)) fail('lib/cli/main.js is missing: run `npm run build` first');
  const helm = findHelm();
  if (!helm) fail('no helm: run scripts/bootstrap-tools.sh helm3');
  if (hyperfine && !has('hyperfine')) fail('hyperfine is missing: run bench/setup.sh');
  return helm;
}

/**
 * Times rows ({name, cmd, prepare?}) with hyperfine (-N, no shell) in interleaved rounds: every
 * row `runs` times (after 2 warm-up runs) once per round, so a noisy machine shifts all rows alike.
 * `extraCpu(row)` may return a function called after the row's batch that gives CPU seconds per
 * run spent outside the timed processes (a server's). Per row: mean wall, median wall, mean CPU
 * (user + system) per run.
 */
export function timeRows(rows, { rounds, runs, json, fail, extraCpu = () => undefined }) {
  const acc = new Map(rows.map((r) => [r.name, { wall: 0, cpu: 0, n: 0, walls: [] }]));
  for (let round = 0; round < rounds; round++) {
    for (const r of rows) {
      const a = ['-N', '--style', 'none', '--warmup', '2', '--runs', String(runs), '--export-json', json];
      if (r.prepare) a.push('--prepare', r.prepare);
      a.push(r.cmd);
      const outside = extraCpu(r);
      if (spawnSync('hyperfine', a, { stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) fail(`hyperfine failed on ${r.name}`);
      const extra = outside ? outside() : 0;
      const x = JSON.parse(readFileSync(json, 'utf8')).results[0];
      const e = acc.get(r.name);
      e.wall += x.mean * runs; e.cpu += (x.user + x.system + extra) * runs; e.n += runs; e.walls.push(...x.times);
    }
  }
  return rows.map((r) => {
    const e = acc.get(r.name);
    const sorted = [...e.walls].sort((p, s) => p - s);
    return { name: r.name, wall: e.wall / e.n, median: sorted[Math.floor(sorted.length / 2)], cpu: e.cpu / e.n };
  });
}
