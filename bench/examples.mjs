#!/usr/bin/env node
/**
 * Before/after benchmark of a cold synth of the examples (`slipway synth examples -o <tmp>`), in one
 * hyperfine run with `helm template` of one example chart as the peer, so a change can show it did
 * not slow the synth users run most.
 *
 *   node bench/examples.mjs --base <checkout with a compiled lib/> [--runs n] [--examples <dir>] [--entry cli|app]
 *
 * `--base` is another checkout (e.g. `git worktree add /tmp/base <commit> && cd /tmp/base && npm ci`).
 * Both CLIs render the same examples directory (`--examples`, default the base's own: examples added
 * since may use fields the base does not know), each into its own fresh temporary
 * output directory. Prints hyperfine's table and the ratios after/before and after/helm.
 * `--entry app` times the cdk8s app instead (`npx cdk8s synth` runs `node lib/app/main.js`; the
 * specs directory through $SLIPWAY_SPECS, the output through --output and $CDK8S_OUTDIR, which
 * older checkouts read); the default `cli` times `slipway synth <examples> -o <out>`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { failer, load, opt, q, requireTools, ROOT } from './common.mjs';

const base = opt('base');
const runs = opt('runs', '15');
const fail = failer('examples');
if (!base) fail('--base <checkout> is required (a checkout of the commit to compare with, compiled)');
const entry = opt('entry', 'cli');
if (!['cli', 'app'].includes(entry)) fail(`--entry must be cli or app, not ${entry}`);
const cliOf = (dir) => join(resolve(dir), 'lib', entry, 'main.js');
for (const dir of [ROOT, base]) if (!existsSync(cliOf(dir))) fail(`${cliOf(dir)} is missing: run \`npx tsc -p .\` in ${dir}`);
const helm = requireTools(fail);

const work = mkdtempSync(join(tmpdir(), 'slipway-bench-examples-'));
const examples = resolve(opt('examples', join(base, 'examples')));
const chart = join(ROOT, 'dist', 'ghillie', 'chart', 'ghillie');
const synth = (cli, out) => (entry === 'cli'
  ? `node ${q(cli)} synth ${q(examples)} -o ${q(out)}`
  : `env SLIPWAY_SPECS=${q(examples)} CDK8S_OUTDIR=${q(out)} node ${q(cli)} --output ${q(out)}`);
const outBefore = join(work, 'before');
const outAfter = join(work, 'after');
const json = join(work, 'hyperfine.json');
const load0 = load();
const r = spawnSync('hyperfine', [
  '--runs', runs, '--warmup', '2', '--export-json', json, '-N',
  '--prepare', `rm -rf ${outBefore} ${outAfter}`,
  '-n', 'before', synth(cliOf(base), outBefore),
  '-n', 'after', synth(cliOf(ROOT), outAfter),
  '-n', 'helm template (ghillie chart)', `${helm} template ghillie ${chart}`,
], { stdio: ['ignore', 'inherit', 'inherit'] });
if (r.status !== 0) fail('hyperfine failed');
const results = JSON.parse(readFileSync(json, 'utf8')).results;
const mean = (name) => results.find((x) => x.command === name).mean;
const cpu = (name) => { const x = results.find((y) => y.command === name); return x.user + x.system; };
console.log(`\nload average before/after: ${load0} / ${load()}`);
console.log(`after / before: ${(mean('after') / mean('before')).toFixed(3)}`);
console.log(`after / before, CPU (user + system): ${(cpu('after') / cpu('before')).toFixed(3)}`);
console.log(`before / helm template: ${(mean('before') / mean('helm template (ghillie chart)')).toFixed(2)}`);
console.log(`after / helm template: ${(mean('after') / mean('helm template (ghillie chart)')).toFixed(2)}`);
rmSync(work, { recursive: true, force: true });
