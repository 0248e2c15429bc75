/**
 * The body of the cdk8s app (`cdk8s synth`, see cdk8s.yaml): synthesizes every spec in `examples/`
 * (or $SLIPWAY_SPECS) into the directory given by `--output <dir>`, else $CDK8S_OUTDIR, else dist/.
 * The output goes through Slipway's safe writer (src/outdir/): the directory must be new, empty
 * or Slipway's own (SLIPWAY_FORCE_REPLACE=1 replaces another). Exit 2 and nothing written on bad
 * input, a refused output directory, or a failure of the environment (disk full, read-only, ...).
 * Files a spec names must be inside its own directory, or inside $SLIPWAY_INPUT_ROOT when set.
 */
import { mkdirSync } from 'node:fs';
import { loadSpecFile, type LoadedService } from '../spec/load';
import { SpecError } from '../spec/errors';
import { asOutputError } from '../outdir/errors';
import { synthFiles, writeAtomically, specFilesIn } from './synth';

/** The value of `--output <dir>` / `--output=<dir>` among the arguments, if any. */
function outputArg(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--output' || args[i] === '-o') return args[i + 1];
    if (args[i].startsWith('--output=')) return args[i].slice('--output='.length);
  }
  return undefined;
}

/** Synthesizes the specs into the output directory; the process's exit code. */
export function main(): number {
  const dir = process.env.SLIPWAY_SPECS ?? 'examples';
  const outdir = outputArg(process.argv.slice(2)) ?? process.env.CDK8S_OUTDIR ?? 'dist';
  try {
    const specs = specFilesIn(dir);
    const services: LoadedService[] = specs.flatMap(loadSpecFile);
    writeAtomically(outdir, synthFiles(services, { artefacts: true }), { inputs: specs });
    // Under `cdk8s synth` with `--output`, the CLI's own output directory (a scratch one it deletes
    // first) only has to exist.
    const scratch = process.env.CDK8S_OUTDIR;
    if (scratch && scratch !== outdir) mkdirSync(scratch, { recursive: true });
    return 0;
  } catch (e) {
    if (e instanceof SpecError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    const plain = asOutputError(e);
    if (plain) {
      process.stderr.write(`error: ${plain.message}\n`);
      return 2;
    }
    throw e;
  }
}
