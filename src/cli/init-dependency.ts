/**
 * The `slipway` dependency `slipway init` writes into a new package.json. Slipway is not on the
 * npm registry, so a version range (`^0.1.0`) cannot install. By default init packs the running
 * Slipway with `npm pack` into `vendor/slipway-<version>.tgz` of the new repository and depends on
 * `file:vendor/slipway-<version>.tgz`: a fresh clone installs it with `npm install` (its own
 * dependencies, e.g. cdk8s, come from the registry or the npm cache). `--slipway <spec>` writes any
 * other npm dependency spec instead (a git URL, a path, or a version once Slipway is published).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './output';
import { PACKAGE_ROOT } from './package-root';

/** What init writes for the slipway dependency, and the vendored archive if any. */
export interface SlipwayDependency {
  /** The dependency spec written into package.json. */
  readonly spec: string;
  /** The archive to write into the new repository (path relative to it, and its bytes). @default none */
  readonly vendored?: { readonly path: string; readonly bytes: Buffer };
}

/** The `--slipway` spec as given, or the running package packed into `vendor/`. */
export function slipwayDependency(given?: string): SlipwayDependency {
  if (given !== undefined) {
    if (!given.trim() || /[\s"\\]/.test(given)) throw new UsageError(`--slipway ${JSON.stringify(given)}: give an npm dependency spec such as file:../slipway-0.1.0.tgz, a git URL or a version, without spaces or quotes`);
    return { spec: given };
  }
  const tmp = mkdtempSync(join(tmpdir(), 'slipway-pack-'));
  try {
    packInto(tmp);
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new UsageError('npm pack wrote no archive of Slipway: give the dependency with --slipway <spec> instead');
    const path = `vendor/${tgz}`;
    return { spec: `file:${path}`, vendored: { path, bytes: readFileSync(join(tmp, tgz)) } };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** `npm pack` of the running Slipway (scripts off: lib/ is already built) into `dir`. */
function packInto(dir: string): void {
  const npm = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath)
    ? [process.execPath, [process.env.npm_execpath]] as const
    : ['npm', []] as const;
  try {
    execFileSync(npm[0], [...npm[1], 'pack', '--ignore-scripts', '--silent', '--pack-destination', dir, PACKAGE_ROOT], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch (e) {
    const x = e as NodeJS.ErrnoException & { stderr?: string };
    if (x.code === 'ENOENT') throw new UsageError('npm was not found on PATH, so Slipway cannot pack itself into vendor/: install Node.js with npm, or give the dependency with --slipway <spec> (e.g. --slipway file:../slipway-0.1.0.tgz)');
    const why = (x.stderr ?? '').split('\n').filter((l) => /npm (error|ERR!)/.test(l)).slice(0, 3).join('; ');
    throw new UsageError(`npm pack of Slipway failed${why ? ` (${why})` : ''}: give the dependency with --slipway <spec> instead`);
  }
}
