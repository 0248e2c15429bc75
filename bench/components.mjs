#!/usr/bin/env node
/**
 * What two of Slipway's speed-ups buy, measured in one process on the bench fleet (bench/fleet.mjs):
 * the js-yaml spec reader (src/spec/fast-read.ts) against the `yaml` library's parse + toJS, and the
 * direct YAML emitter (src/app/fast-yaml.ts) against `yaml`'s stringify, on the same inputs,
 * interleaved, CPU time (process.cpuUsage) per 1000 services. Both alternatives produce the same
 * values/bytes (asserted here too), so the difference is pure cost.
 *
 *   node bench/components.mjs [--n 1000] [--reps 5]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './fleet.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : dflt; };
const n = opt('n', 1000);
const reps = opt('reps', 5);
const { readYamlFast } = require(join(ROOT, 'lib', 'spec', 'fast-read.js'));
const { emitYaml, YAML_OPTIONS } = require(join(ROOT, 'lib', 'app', 'fast-yaml.js'));
const YAML = require('yaml');

const dir = generate(n, join(ROOT, 'bench', 'out'));
const texts = readdirSync(join(dir, 'specs')).sort().map((f) => readFileSync(join(dir, 'specs', f), 'utf8'));
const stream = execFileSync(process.execPath, [join(ROOT, 'lib', 'cli', 'main.js'), 'synth', '--stdout', join(dir, 'specs')], { encoding: 'utf8', maxBuffer: 1 << 28 });
const objects = YAML.parseAllDocuments(stream).map((d) => d.toJS());

const cpu = (f) => { const t0 = process.cpuUsage(); f(); const t = process.cpuUsage(t0); return (t.user + t.system) / 1000; };
const rows = {
  'spec reading: js-yaml fast reader': () => { for (const t of texts) readYamlFast(t); },
  'spec reading: yaml parseAllDocuments + toJS': () => { for (const t of texts) YAML.parseAllDocuments(t).map((d) => d.toJS()); },
  'manifest YAML: direct emitter': () => { for (const o of objects) emitYaml(o); },
  'manifest YAML: yaml stringify': () => { for (const o of objects) YAML.stringify(o, YAML_OPTIONS); },
};
// Same results both ways (what makes the comparison fair).
for (const t of texts.slice(0, 50)) if (JSON.stringify(readYamlFast(t)) !== JSON.stringify(YAML.parseAllDocuments(t).map((d) => d.toJS()))) throw new Error('readers differ');
for (const o of objects.slice(0, 300)) { const e = emitYaml(o); if (e !== undefined && e !== YAML.stringify(o, YAML_OPTIONS)) throw new Error('emitters differ'); }
const fell = objects.filter((o) => emitYaml(o) === undefined).length;

const best = Object.fromEntries(Object.keys(rows).map((k) => [k, Infinity]));
for (const f of Object.values(rows)) f(); // warm up
for (let r = 0; r < reps; r++) for (const [k, f] of Object.entries(rows)) best[k] = Math.min(best[k], cpu(f));
const per1000 = (ms) => (ms * 1000) / n;
console.log(`bench/components: N=${n} specs, ${objects.length} manifest objects (${fell} the emitter hands to the library), best of ${reps}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('| part | CPU ms per 1000 services |\n|---|---:|');
for (const [k, v] of Object.entries(best)) console.log(`| ${k} | ${per1000(v).toFixed(0)} |`);
