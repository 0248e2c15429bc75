#!/usr/bin/env node
/**
 * Benchmark: Slipway synth vs a stock cdk8s-plus-28 app vs `helm template`, on fleets of N
 * equivalent services (Deployment + Service + HPA + ConfigMap + PDB + NetworkPolicy each; see
 * fleet.mjs), measured in the same run so the ratios hold on a noisy machine.
 *
 *   node bench/run.mjs [--sizes 1,100,1000] [--runs n] [--no-results]
 *
 * Uses hyperfine when installed (bench/setup.sh), else its own repeated timing; peak memory is
 * GNU time's maximum resident set size. Needs the compiled CLI (`npx tsc -p .`). Writes the tables
 * into bench/RESULTS.md (between the bench markers) and raw numbers into bench/out/results.json.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, readdirSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { CLI as cli, failer, flag, has, HERE, load, opt, OUT, q, requireTools, ROOT } from './common.mjs';
import { generate } from './fleet.mjs';

const sizes = opt('sizes', '1,100,1000').split(',').map(Number);
const runsFor = (n) => Number(opt('runs', n >= 1000 ? 3 : n >= 100 ? 5 : 10));
const helm = requireTools(failer('run'), { hyperfine: false });
const hyperfine = has('hyperfine') && !flag('no-hyperfine');
const gnuTime = existsSync('/usr/bin/time');
const env = 'CDK8S_CHECK_UPGRADE=false NO_COLOR=1';

/** Flips svc-0001's log level (info <-> debug): each run of the "1 service changed" row sees a change. */
const FLIP = 's/LOG_LEVEL: info/LOG_LEVEL: swap/; s/LOG_LEVEL: debug/LOG_LEVEL: info/; s/LOG_LEVEL: swap/LOG_LEVEL: debug/';

/** An output directory on tmpfs for a fleet directory. */
const shm = (dir) => join('/dev/shm', `slipway-bench-${dir.split('/').pop()}`);

/** A finished Slipway output of a fleet, made once before timing: the source of the file-system floor row. */
const floorSource = (dir) => join(dir, 'floor-source');

/** The commands for a fleet directory: name, shell command, prepare command (run before each timing). */
function commands(dir) {
  const sw = (extra) => `${env} node ${q(cli)} synth ${q(join(dir, 'specs'))} ${extra}`;
  return [
    { name: 'slipway synth', cmd: sw(`-o ${q(join(dir, 'slipway-out'))}`), prepare: `rm -rf ${q(join(dir, 'slipway-out'))}` },
    // The disk's share of the row above: copying a finished output (the same files) to the same
    // disk with the same preparation, in C (GNU cp). Slipway cannot write its files faster than this.
    { name: 'file-system floor: cp -r of that output', cmd: `cp -r ${q(floorSource(dir))} ${q(join(dir, 'copy-out'))}`, prepare: `rm -rf ${q(join(dir, 'copy-out'))}` },
    // Re-synths over the previous output (what a GitOps repository's CI does on every commit):
    // incremental (the output of the row above, then of its own runs), and --force (every service rendered).
    { name: 'slipway re-synth, nothing changed', cmd: sw(`-o ${q(join(dir, 'slipway-out'))}`), prepare: 'true' },
    { name: 'slipway re-synth, 1 service changed', cmd: sw(`-o ${q(join(dir, 'slipway-out'))}`), prepare: `sed -i ${q(FLIP)} ${q(join(dir, 'specs', 'svc-0001.yaml'))}` },
    { name: 'slipway re-synth --force', cmd: sw(`--force -o ${q(join(dir, 'slipway-out'))}`), prepare: 'true' },
    // The CI drift check on an up-to-date output: exit 0, nothing rendered.
    { name: 'slipway diff, nothing changed', cmd: `${env} node ${q(cli)} diff ${q(join(dir, 'specs'))} -o ${q(join(dir, 'slipway-out'))}`, prepare: 'true' },
    { name: 'slipway synth --stdout', cmd: `${sw('--stdout')} > /dev/null`, prepare: 'true' },
    // The same synth with the output on tmpfs: Slipway's own cost, without the disk's.
    ...(existsSync('/dev/shm') ? [
      { name: 'slipway synth, output on tmpfs', cmd: sw(`-o ${q(shm(dir))}`), prepare: `rm -rf ${q(shm(dir))}` },
      // Creating the same files on tmpfs with no rendering at all: the part of the row above that no renderer avoids.
      { name: 'tmpfs floor: cp -r of that output to tmpfs', cmd: `cp -r ${q(floorSource(dir))} ${q(`${shm(dir)}-copy`)}`, prepare: `rm -rf ${q(`${shm(dir)}-copy`)}` },
    ] : []),
    { name: 'cdk8s-plus-28 app', cmd: `${env} CDK8S_OUTDIR=${q(join(dir, 'cdk8s-out'))} node ${q(join(dir, 'cdk8s-plus', 'main.js'))}`, prepare: `rm -rf ${q(join(dir, 'cdk8s-out'))}` },
    { name: 'helm template', cmd: `${q(helm)} template fleet ${q(join(dir, 'chart'))} > /dev/null`, prepare: 'true' },
    { name: 'helm template (N subcharts)', cmd: `${q(helm)} template fleet ${q(join(dir, 'chart-umbrella'))} > /dev/null`, prepare: 'true' },
  ];
}

/** Mean and standard deviation of wall time, and mean user+system CPU, per command (seconds). */
function time(cmds, runs, n) {
  if (hyperfine) {
    const json = join(OUT, `hyperfine-n${n}.json`);
    // No warm-up run at N=1000 (it would add a minute): the specs are in the page cache already.
    const a = ['--style', 'basic', '--warmup', n >= 1000 ? '0' : '2', '--runs', String(runs), '--export-json', json];
    for (const c of cmds) a.push('--prepare', c.prepare);
    for (const c of cmds) a.push('-n', c.name, c.cmd);
    const r = spawnSync('hyperfine', a, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error('hyperfine failed');
    return JSON.parse(readFileSync(json, 'utf8')).results.map((x) => ({ name: x.command, mean: x.mean, stddev: x.stddev ?? 0, cpu: x.user + x.system, runs: x.times.length }));
  }
  return cmds.map((c) => {
    const walls = [], cpus = [];
    for (let i = 0; i < runs + 1; i++) {
      spawnSync('sh', ['-c', c.prepare]);
      const m = measureOnce(c.cmd);
      if (i > 0) { walls.push(m.wall); cpus.push(m.cpu); } // the first run warms caches
    }
    const mean = walls.reduce((a, b) => a + b, 0) / walls.length;
    const stddev = Math.sqrt(walls.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, walls.length - 1));
    console.log(`  ${c.name}: ${mean.toFixed(3)} s ± ${stddev.toFixed(3)}`);
    return { name: c.name, mean, stddev, cpu: cpus.reduce((a, b) => a + b, 0) / cpus.length, runs };
  });
}

/** One run: wall, user+sys CPU and peak RSS (GNU time), or wall only. */
function measureOnce(cmd) {
  const t0 = process.hrtime.bigint();
  if (!gnuTime) {
    spawnSync('sh', ['-c', cmd], { stdio: 'ignore' });
    return { wall: Number(process.hrtime.bigint() - t0) / 1e9, cpu: NaN, rssMb: NaN };
  }
  const r = spawnSync('/usr/bin/time', ['-f', 'SLIPWAY_BENCH %e %U %S %M', 'sh', '-c', cmd], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = /SLIPWAY_BENCH (\S+) (\S+) (\S+) (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !m) throw new Error(`bench: command failed: ${cmd}\n${r.stderr}`);
  return { wall, cpu: Number(m[2]) + Number(m[3]), rssMb: Number(m[4]) / 1024 };
}

/** Objects each tool produced (all three must agree: 6 per service). */
function objectCounts(dir) {
  const kinds = (text) => (text.match(/^kind: /gm) ?? []).length;
  const stdout = (cmd) => spawnSync('sh', ['-c', cmd], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
  const cdk8sOut = join(dir, 'cdk8s-out');
  return {
    slipway: kinds(stdout(`${env} node ${q(cli)} synth ${q(join(dir, 'specs'))} --stdout`)),
    cdk8s: existsSync(cdk8sOut) ? readdirSync(cdk8sOut).reduce((a, f) => a + kinds(readFileSync(join(cdk8sOut, f), 'utf8')), 0) : NaN,
    helm: kinds(stdout(`${q(helm)} template fleet ${q(join(dir, 'chart'))}`)),
    umbrella: kinds(stdout(`${q(helm)} template fleet ${q(join(dir, 'chart-umbrella'))}`)),
  };
}

mkdirSync(OUT, { recursive: true });
const started = new Date();
const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memGb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  helm: execFileSync(helm, ['version', '--short'], { encoding: 'utf8' }).trim(),
  loadBefore: load(),
  timer: hyperfine ? execFileSync('hyperfine', ['--version'], { encoding: 'utf8' }).trim() : 'own repeated timing',
};
console.log(`bench: ${JSON.stringify(machine)}`);
const results = [];
for (const n of sizes) {
  const dir = generate(n, OUT);
  console.log(`\n== N=${n} (${dir})`);
  const cmds = commands(dir);
  rmSync(floorSource(dir), { recursive: true, force: true });
  execFileSync('node', [cli, 'synth', join(dir, 'specs'), '-o', floorSource(dir)], { stdio: 'ignore' });
  const timed = time(cmds, runsFor(n), n);
  for (const c of cmds) {
    spawnSync('sh', ['-c', c.prepare]);
    const m = gnuTime ? measureOnce(c.cmd) : { rssMb: NaN };
    Object.assign(timed.find((t) => t.name === c.name), { rssMb: m.rssMb });
  }
  const objects = objectCounts(dir);
  results.push({ n, objects, timed });
  for (const out of [join(dir, 'slipway-out'), join(dir, 'copy-out'), floorSource(dir), join(dir, 'cdk8s-out'), shm(dir), `${shm(dir)}-copy`]) rmSync(out, { recursive: true, force: true });
}
machine.loadAfter = load();
writeFileSync(join(OUT, 'results.json'), `${JSON.stringify({ started, machine, results }, null, 2)}\n`);

// ---- RESULTS.md tables
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const lines = [];
lines.push(`Measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine.cpus} × ${machine.cpu}, ${machine.memGb} GB, Node ${machine.node}, helm ${machine.helm}; timer: ${machine.timer}. Load average before/after: ${machine.loadBefore} / ${machine.loadAfter}.`, '');
for (const { n, objects, timed } of results) {
  const helmRow = timed.find((t) => t.name === 'helm template');
  lines.push(`**N = ${n}** (objects rendered: Slipway ${objects.slipway}, cdk8s-plus ${objects.cdk8s}, helm ${objects.helm}, helm with subcharts ${objects.umbrella})`, '');
  lines.push('| command | wall time (s) | × helm template (wall) | CPU user+sys (s) | × helm (CPU) | peak RSS (MB) |', '|---|---:|---:|---:|---:|---:|');
  for (const t of timed) {
    lines.push(`| ${t.name} | ${f(t.mean, 3)} ± ${f(t.stddev, 3)} | ${f(t.mean / helmRow.mean)} | ${f(t.cpu, 3)} | ${f(t.cpu / helmRow.cpu)} | ${f(t.rssMb, 0)} |`);
  }
  lines.push('');
}
if (results.length > 1) {
  const first = results[0], last = results[results.length - 1];
  lines.push('Cost per added service (wall time between the smallest and largest fleet, ms/service):', '');
  lines.push('| command | ms / service |', '|---|---:|');
  for (const t of last.timed) {
    const t0 = first.timed.find((x) => x.name === t.name);
    lines.push(`| ${t.name} | ${f(((t.mean - t0.mean) / (last.n - first.n)) * 1000)} |`);
  }
  lines.push('');
}
const table = lines.join('\n');
console.log(`\n${table}`);
if (!flag('no-results')) {
  const file = join(HERE, 'RESULTS.md');
  const begin = '<!-- bench:begin (written by bench/run.mjs) -->';
  const end = '<!-- bench:end -->';
  const current = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmark results\n\n${begin}\n${end}\n`;
  const i = current.indexOf(begin), j = current.indexOf(end);
  const next = i >= 0 && j > i ? `${current.slice(0, i + begin.length)}\n${table}\n${current.slice(j)}` : `${current}\n${begin}\n${table}\n${end}\n`;
  writeFileSync(file, next);
  console.log(`bench: tables written to ${file}`);
}
