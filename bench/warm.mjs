#!/usr/bin/env node
/**
 * Benchmark of the Argo CD plugin path (issue 18): the warm renderer (`slipway serve` + the Go
 * client slipway-warm) against the cold `slipway synth --stdout` and `helm template`, all in one run
 * so the ratios hold on a shared, noisy machine.
 *
 *   node bench/warm.mjs [--rounds 4] [--runs 8] [--apps 200] [--baseline <other build's lib/cli/main.js>] [--no-results]
 *
 * Rows are timed with hyperfine (-N, no shell) in interleaved rounds (every command once per round,
 * `--runs` runs each), so a load spike hits all rows alike. CPU is user + system time: hyperfine's
 * for the measured process, plus, for warm rows, the server's own CPU over the same runs (the sum of
 * /proc/<pid>/task/<tid>/schedstat on-CPU nanoseconds of the threads of the server and of its render
 * worker processes, read before and after). With --baseline, a second server started from another
 * build (e.g. the commit before a change to the server) gets its own warm row in the one-service
 * table, measured in the same interleaved rounds.
 *
 * Tables: one service (examples/ghillie.yaml vs `helm template` of its generated chart), with a
 * "where the time goes" split; a fleet of 100 services (bench/fleet.mjs: `--stdout`, warm, full
 * synth on tmpfs, vs `helm template` of the one chart ranging over them); and a repo-server
 * simulation: `--apps` Applications of one service each, rendered one process each (cold), through
 * the warm path, and by as many `helm template` processes of per-service charts. Written to
 * bench/RESULTS.md between the warm-bench markers and to bench/out/warm.json.
 */
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync, chmodSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI as cli, failer, flag, HERE, load, opt, OUT, q, requireTools, ROOT, timeRows as timeHyperfineRows } from './common.mjs';
import { generate } from './fleet.mjs';

const rounds = Number(opt('rounds', 4));
const runs = Number(opt('runs', 8));
const apps = Number(opt('apps', 200));
const baselineCli = opt('baseline', undefined);
const fail = failer('warm');
const helm = requireTools(fail);

const work = mkdtempSync(join(tmpdir(), 'slipway-bench-warm-'));
chmodSync(work, 0o700);
// The client, built as the image builds it.
const client = join(work, 'slipway-warm');
execFileSync('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', client, '.'], { cwd: join(ROOT, 'warm-client'), env: { ...process.env, CGO_ENABLED: '0' }, stdio: 'inherit' });

/** Starts `slipway serve`; resolves with its pid once it listens. */
async function startServer(socket, entry = cli) {
  const proc = spawn(process.execPath, [entry, 'serve', '--socket', socket], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  while (!log.includes('listening on')) {
    if (proc.exitCode !== null) fail(`slipway serve did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return proc;
}
/** The pids whose parent is pid (a server's render worker processes). */
function childrenOf(pid) {
  const kids = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) kids.push(Number(d));
    } catch { /* gone */ }
  }
  return kids;
}
/** On-CPU seconds of every live thread of pid and of its child processes (schedstat, nanoseconds). */
function cpuOf(pid) {
  let ns = 0;
  for (const p of [pid, ...childrenOf(pid)]) {
    const dir = `/proc/${p}/task`;
    try { ns += readdirSync(dir).reduce((a, t) => a + Number(readFileSync(join(dir, t, 'schedstat'), 'utf8').split(' ')[0]), 0); } catch { /* ended */ }
  }
  return ns / 1e9;
}
/** RSS of pid in MB. */
const rssOne = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
/** RSS of the server process and of each of its workers, in MB. */
const rssOf = (pid) => ({ server: rssOne(pid), workers: childrenOf(pid).sort((a, b) => a - b).map(rssOne) });
const rssText = (r) => `${f(r.server, 0)} MB server + ${r.workers.map((w) => f(w, 0)).join(' + ') || 'no'} MB workers`;

const socket = join(work, 'warm.sock');
const server = await startServer(socket);
const rssIdle = rssOf(server.pid);
const warmEnv = `SLIPWAY_SOCKET=${socket} SLIPWAY_COLD=/nonexistent`;
const baseSocket = join(work, 'baseline.sock');
const baseline = baselineCli ? await startServer(baseSocket, resolve(baselineCli)) : undefined;

/**
 * Times commands ({name, cmd, prepare?, warm?}) in interleaved rounds (bench/common.mjs); per row
 * the mean wall and the mean CPU per run, the server's added for warm rows.
 */
function timeRows(rows) {
  const serverCpu = (r) => {
    if (!r.warm) return undefined;
    const srv = r.warm === 'baseline' ? baseline : server;
    const before = cpuOf(srv.pid);
    // Warm-up runs reached the server too: its CPU is divided over all of them.
    return () => (cpuOf(srv.pid) - before) / (runs + 2);
  };
  return timeHyperfineRows(rows, { rounds, runs, json: join(work, 'h.json'), fail, extraCpu: serverCpu });
}

/** Times whole shell scripts with GNU time (the CPU of every process they start), interleaved, `reps` times. */
function timeScripts(rows, reps) {
  const acc = new Map(rows.map((r) => [r.name, { wall: 0, cpu: 0, n: 0 }]));
  for (let i = 0; i < reps; i++) {
    for (const r of rows) {
      const before = r.warm ? cpuOf(server.pid) : 0;
      const t = spawnSync('/usr/bin/time', ['-f', 'SLIPWAY_BENCH %e %U %S', 'sh', '-c', r.cmd], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
      const m = /SLIPWAY_BENCH (\S+) (\S+) (\S+)/.exec(t.stderr);
      if (t.status !== 0 || !m) fail(`${r.name} failed: ${t.stderr.slice(-2000)}`);
      const e = acc.get(r.name);
      e.wall += Number(m[1]); e.cpu += Number(m[2]) + Number(m[3]) + (r.warm ? cpuOf(server.pid) - before : 0); e.n++;
    }
  }
  return rows.map((r) => { const e = acc.get(r.name); return { name: r.name, wall: e.wall / e.n, cpu: e.cpu / e.n }; });
}

const started = new Date();
const loadBefore = load();
console.log(`bench/warm: ${cpus().length} CPUs, load ${loadBefore}, ${rounds} rounds × ${runs} runs`);

// ---- one service: examples/ghillie.yaml and its generated chart
const ex = join(ROOT, 'examples');
const ghillieOut = join(work, 'ghillie-out');
execFileSync(process.execPath, [cli, 'synth', join(ex, 'ghillie.yaml'), '-o', ghillieOut, '-q'], { stdio: 'inherit' });
const ghillie = join(ex, 'ghillie.yaml');
const one = timeRows([
  { name: 'cold: `slipway synth --stdout` (node, bundle)', cmd: `env NO_COLOR=1 node ${cli} synth --stdout ${ghillie}` },
  { name: 'warm: slipway-warm → `slipway serve` (client + server CPU)', cmd: `env ${warmEnv} ${client} synth --stdout ${ghillie}`, warm: true },
  ...(baseline ? [{ name: `warm, baseline build (${baselineCli}): slipway-warm → its \`slipway serve\``, cmd: `env SLIPWAY_SOCKET=${baseSocket} SLIPWAY_COLD=/nonexistent ${client} synth --stdout ${ghillie}`, warm: 'baseline' }] : []),
  { name: 'helm template (its generated chart)', cmd: `${helm} template ghillie ${join(ghillieOut, 'ghillie', 'chart', 'ghillie')}` },
  { name: 'node -e 0 (Node.js start alone)', cmd: 'node -e 0' },
  { name: 'cold `slipway synth --stdout --help` (CLI loaded, nothing rendered)', cmd: `node ${cli} synth --stdout --help` },
  { name: 'warm `synth --stdout --help` (client, socket round trip, command line)', cmd: `env ${warmEnv} ${client} synth --stdout --help`, warm: true },
]);
console.log(one);

// ---- N = 100 fleet
const fleet = generate(100, OUT);
const specs = join(fleet, 'specs');
const shmOut = existsSync('/dev/shm') ? '/dev/shm/slipway-bench-warm-out' : join(work, 'full-out');
const hundred = timeRows([
  { name: '`slipway synth --stdout` (cold)', cmd: `env NO_COLOR=1 node ${cli} synth --stdout ${specs}` },
  { name: 'warm `synth --stdout` (client + server CPU)', cmd: `env ${warmEnv} ${client} synth --stdout ${specs}`, warm: true },
  { name: '`slipway synth -o` full (manifests, charts, images; output on tmpfs, removed before each run)', cmd: `node ${cli} synth ${specs} -o ${shmOut} -q`, prepare: `rm -rf ${shmOut}` },
  { name: 'helm template (one chart ranging over the 100)', cmd: `${helm} template fleet ${join(fleet, 'chart')}` },
]);
rmSync(shmOut, { recursive: true, force: true });
console.log(hundred);

// ---- repo-server simulation: `apps` Applications of one service each
const big = generate(apps, join(work, 'fleet'));
const appsDir = join(work, 'apps');
mkdirSync(appsDir);
for (const f of readdirSync(join(big, 'specs')).sort()) {
  const name = f.replace(/\.yaml$/, '');
  mkdirSync(join(appsDir, name));
  copyFileSync(join(big, 'specs', f), join(appsDir, name, 'service.yaml'));
}
const loop = (body) => `for d in ${q(appsDir)}/*; do (cd "$d" && ${body}) >/dev/null || exit 1; done`;
const sim = timeScripts([
  { name: `${apps} × cold \`slipway synth --stdout\` (one Node.js process per Application)`, cmd: loop(`NO_COLOR=1 node ${q(cli)} synth --stdout --input-root . -- service.yaml`) },
  { name: `${apps} × slipway-warm (one Go process per Application; server CPU included)`, cmd: loop(`${warmEnv} ${q(client)} synth --stdout --input-root . -- service.yaml`), warm: true },
  { name: `${apps} × \`helm template\` (one process per Application, its own chart)`, cmd: `for d in ${q(join(big, 'chart-umbrella', 'charts'))}/*; do ${q(helm)} template app "$d" >/dev/null || exit 1; done` },
  { name: `${apps} × sh subshell only (the loop's own cost, in every row above)`, cmd: loop('true') },
], Math.max(2, Math.min(3, rounds)));
console.log(sim);

const serverRss = rssOf(server.pid);
server.kill('SIGTERM');
baseline?.kill('SIGTERM');
const loadAfter = load();

// ---- tables
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const table = (rows, peer, cols = 'wall') => {
  const p = rows.find((r) => r.name === peer);
  const l = ['| command | mean wall (s) | × peer (wall) | CPU user+sys (s) | × peer (CPU) |', '|---|---:|---:|---:|---:|'];
  for (const r of rows) l.push(`| ${r.name} | ${f(r.wall, 4)} | ${f(r.wall / p.wall)} | ${f(r.cpu, 4)} | ${f(r.cpu / p.cpu)} |`);
  return l.join('\n');
};
const g = (rows, prefix) => rows.find((r) => r.name.startsWith(prefix));
const split = [
  ['Node.js start', g(one, 'node -e 0').cpu, undefined],
  ['CLI loaded, command line parsed (cold: the bundle; warm: the Go client start and the socket round trip)', g(one, 'cold `slipway synth --stdout --help`').cpu - g(one, 'node -e 0').cpu, g(one, 'warm `synth --stdout --help`').cpu],
  ['renderers loaded (cold only) and the service rendered', g(one, 'cold: ').cpu - g(one, 'cold `slipway synth --stdout --help`').cpu, g(one, 'warm: ').cpu - g(one, 'warm `synth --stdout --help`').cpu],
  ['total', g(one, 'cold: ').cpu, g(one, 'warm: ').cpu],
];
const md = [
  `Measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`node bench/warm.mjs\` (${rounds} interleaved rounds × ${runs} runs, hyperfine -N), ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, helm ${execFileSync(helm, ['version', '--short'], { encoding: 'utf8' }).trim()}. Load average before/after: ${loadBefore} / ${loadAfter}. Server RSS: ${rssText(rssIdle)} idle after start, ${rssText(serverRss)} at the end.`,
  '',
  '**One service** (`examples/ghillie.yaml`; peer: `helm template` of its generated chart)',
  '',
  table(one, 'helm template (its generated chart)'),
  '',
  '**Where the time goes** (one service, CPU user+sys in ms, same run; "before" = cold, "after" = warm)',
  '',
  '| part | before: cold (ms) | after: warm (ms) |',
  '|---|---:|---:|',
  ...split.map(([name, c, w]) => `| ${name} | ${f(c * 1000, 1)} | ${w === undefined ? '—' : f(w * 1000, 1)} |`),
  '',
  '**N = 100** (bench/fleet.mjs; peer: `helm template` of the one chart ranging over the 100 services)',
  '',
  table(hundred, 'helm template (one chart ranging over the 100)'),
  '',
  `**Repo-server simulation**: ${apps} Applications of one service each, rendered one after the other (GNU time over the whole loop; peer: ${apps} \`helm template\` processes)`,
  '',
  table(sim, sim[2].name),
  '',
].join('\n');
console.log(`\n${md}`);
writeFileSync(join(OUT, 'warm.json'), `${JSON.stringify({ started, loadBefore, loadAfter, rssIdle, serverRss, one, hundred, sim }, null, 2)}\n`);
if (!flag('no-results')) {
  const file = join(HERE, 'RESULTS.md');
  const begin = '<!-- warm-bench:begin (written by bench/warm.mjs) -->';
  const end = '<!-- warm-bench:end -->';
  const current = readFileSync(file, 'utf8');
  const i = current.indexOf(begin), j = current.indexOf(end);
  writeFileSync(file, i >= 0 && j > i ? `${current.slice(0, i + begin.length)}\n${md}\n${current.slice(j)}` : `${current}\n${begin}\n${md}\n${end}\n`);
  console.log('bench/warm: tables written to bench/RESULTS.md');
}
rmSync(work, { recursive: true, force: true });
