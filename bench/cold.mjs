#!/usr/bin/env node
/**
 * Benchmark of the cold process paths of issue 18 against `helm template`, in one run so the ratios
 * hold on a shared, noisy machine:
 *
 *   node bench/cold.mjs [--rounds 4] [--runs 8] [--before <checkout>]
 *
 * One service (examples/ghillie.yaml; peer: `helm template` of its generated chart): `synth
 * --stdout` through lib/cli/main.js (bundle + V8 code cache), the same without the code cache
 * (SLIPWAY_CODE_CACHE=0), `--help` (CLI loaded, nothing rendered) and `node -e 0`. N = 100
 * (bench/fleet.mjs; peer: `helm template` of the one chart ranging over the 100): `--stdout` and a
 * full synth on tmpfs (output removed before each run). Rows run in interleaved rounds (hyperfine
 * -N, every row once per round); CPU is user + system time. `--before` adds the one-service rows of
 * another built checkout (its lib/cli/main.js), e.g. the commit before a change. Prints markdown tables and writes
 * bench/out/cold.json; RESULTS.md is edited by hand.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI as cli, failer, load, opt, OUT, requireTools, ROOT, timeRows as timeHyperfineRows } from './common.mjs';
import { generate } from './fleet.mjs';

const rounds = Number(opt('rounds', 4));
const runs = Number(opt('runs', 8));
const before = opt('before');
const fail = failer('cold');
const helm = requireTools(fail);
const work = mkdtempSync(join(tmpdir(), 'slipway-bench-cold-'));

/** Times rows ({name, cmd, prepare?}) in interleaved rounds (bench/common.mjs). */
const timeRows = (rows) => timeHyperfineRows(rows, { rounds, runs, json: join(work, 'h.json'), fail });

/** A markdown table with ratios against the row named `peer`. */
function table(rows, peer) {
  const p = rows.find((r) => r.name === peer);
  const f = (x, d = 3) => x.toFixed(d);
  return ['| command | CPU user+sys (s) | × helm (CPU) | mean wall (s) | × helm (wall) |', '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${f(r.cpu)} | ${f(r.cpu / p.cpu, 2)} | ${f(r.wall)} | ${f(r.wall / p.wall, 2)} |`)].join('\n');
}

const started = new Date();
const loadBefore = load();
const ghillie = join(ROOT, 'examples', 'ghillie.yaml');
const ghillieOut = join(work, 'ghillie-out');
execFileSync(process.execPath, [cli, 'synth', ghillie, '-o', ghillieOut, '-q'], { stdio: 'inherit' });
execFileSync(process.execPath, [cli, 'synth', '--stdout', ghillie], { stdio: 'ignore' }); // the code cache exists from here on
const HELM1 = 'helm template (its generated chart)';
const one = timeRows([
  { name: '`slipway synth --stdout` (bundle, V8 code cache)', cmd: `node ${cli} synth --stdout ${ghillie}` },
  { name: 'the same without the code cache (SLIPWAY_CODE_CACHE=0)', cmd: `env SLIPWAY_CODE_CACHE=0 node ${cli} synth --stdout ${ghillie}` },
  { name: '`slipway synth --stdout --help` (CLI loaded, nothing rendered)', cmd: `node ${cli} synth --stdout --help` },
  ...(before ? [
    { name: 'before: `slipway synth --stdout`', cmd: `node ${join(resolve(before), 'lib', 'cli', 'main.js')} synth --stdout ${ghillie}` },
    { name: 'before: `slipway synth --stdout --help`', cmd: `node ${join(resolve(before), 'lib', 'cli', 'main.js')} synth --stdout --help` },
  ] : []),
  { name: 'node -e 0 (Node.js start alone)', cmd: 'node -e 0' },
  { name: HELM1, cmd: `${helm} template ghillie ${join(ghillieOut, 'ghillie', 'chart', 'ghillie')}` },
]);
console.log(table(one, HELM1));

mkdirSync(OUT, { recursive: true });
const fleet = generate(100, OUT);
const specs = join(fleet, 'specs');
const shmOut = existsSync('/dev/shm') ? '/dev/shm/slipway-bench-cold-out' : join(work, 'full-out');
const HELM100 = 'helm template (one chart ranging over the 100)';
const hundred = timeRows([
  { name: '`slipway synth --stdout`', cmd: `node ${cli} synth --stdout ${specs}` },
  { name: '`slipway synth -o` full (output on tmpfs, removed before each run)', cmd: `node ${cli} synth ${specs} -o ${shmOut} -q`, prepare: `rm -rf ${shmOut}` },
  { name: HELM100, cmd: `${helm} template fleet ${join(fleet, 'chart')}` },
]);
rmSync(shmOut, { recursive: true, force: true });
console.log(table(hundred, HELM100));
const header = `Measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`node bench/cold.mjs\` (${rounds} interleaved rounds × ${runs} runs, hyperfine -N), ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, helm ${execFileSync(helm, ['version', '--short'], { encoding: 'utf8' }).trim()}. Load average before/after: ${loadBefore} / ${load()}.`;
console.log(header);
writeFileSync(join(OUT, 'cold.json'), JSON.stringify({ header, one, hundred }, null, 2));
rmSync(work, { recursive: true, force: true });
