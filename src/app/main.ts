#!/usr/bin/env node
/**
 * The cdk8s app (`cdk8s synth`, see cdk8s.yaml): synthesizes every spec in `examples/`
 * (or $SLIPWAY_SPECS) into $CDK8S_OUTDIR (default dist/). Exit 2 and nothing written on bad input.
 * Files a spec names must be inside its own directory, or inside $SLIPWAY_INPUT_ROOT when set.
 */
import { loadSpecFile, type LoadedService } from '../spec/load';
import { SpecError } from '../spec/errors';
import { synthFiles, writeAtomically, specFilesIn } from './synth';

function main(): number {
  const dir = process.env.SLIPWAY_SPECS ?? 'examples';
  const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
  try {
    const services: LoadedService[] = specFilesIn(dir).flatMap(loadSpecFile);
    writeAtomically(outdir, synthFiles(services, { artefacts: true }));
    return 0;
  } catch (e) {
    if (e instanceof SpecError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = main();
