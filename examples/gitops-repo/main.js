#!/usr/bin/env node
// @ts-check
// The synth job of this GitOps repository (cdk8s.yaml: `app: node main.js --output dist`). It
// renders every spec in services/ with Slipway (manifests per environment, the Helm chart with a
// values-<env>.yaml per environment, the image definition, and the Argo CD Applications) and
// writes dist/ atomically: on any error nothing is written and the exit code is 2.
const { mkdirSync, readdirSync } = require('node:fs');
const { join } = require('node:path');
const { loadSpecFile, synthFiles, writeAtomically, SpecError, OutputError } = require('slipway');

const at = process.argv.indexOf('--output');
const outdir = at > 0 ? process.argv[at + 1] : 'dist';
const dir = join(__dirname, 'services');
const specs = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
try {
  writeAtomically(outdir, synthFiles(specs.flatMap(loadSpecFile)), { inputs: specs });
  // `cdk8s synth` only checks that its own (scratch) output directory exists.
  if (process.env.CDK8S_OUTDIR && process.env.CDK8S_OUTDIR !== outdir) mkdirSync(process.env.CDK8S_OUTDIR, { recursive: true });
} catch (e) {
  if (!(e instanceof SpecError) && !(e instanceof OutputError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 2;
}
