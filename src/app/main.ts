#!/usr/bin/env node
/**
 * The cdk8s app (`cdk8s synth`, see cdk8s.yaml): synthesizes every spec in `examples/` (or
 * $SLIPWAY_SPECS) into `--output <dir>`, else $CDK8S_OUTDIR, else dist/ (src/app/run.ts). Runs the
 * bundled app when it is there and fresh (src/app/prefer-bundle.ts); the renderers load only
 * when the app runs. Only as a program: requiring this file (or its bundle) runs nothing.
 */
import { delegated } from './prefer-bundle';

/** Runs the app once; the process's exit code (2 for bad input or a refused output directory). */
export function runApp(): number {
  return (require('./run') as typeof import('./run')).main();
}

if (require.main === module && !delegated) process.exitCode = runApp();
