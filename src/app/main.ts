#!/usr/bin/env node
/**
 * The cdk8s app (`cdk8s synth`, see cdk8s.yaml): synthesizes every spec in `examples/` (or
 * $SLIPWAY_SPECS) into `--output <dir>`, else $CDK8S_OUTDIR, else dist/ (src/app/run.ts). Runs the
 * bundled app when it is there and fresh (src/app/prefer-bundle.ts); the renderers load only
 * when this file runs the app itself.
 */
import { delegated } from './prefer-bundle';

if (!delegated) process.exitCode = (require('./run') as typeof import('./run')).main();
