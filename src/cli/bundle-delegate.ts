/**
 * Runs a bundled entry point (lib/bundle/<name>.js, made by scripts/bundle.mjs) in place of the
 * compiled one that imports this module: one file to read and compile, through a V8 code cache
 * (src/cli/code-cache.ts), instead of ~400 modules to resolve. Used by the CLI (`slipway`,
 * src/cli/prefer-bundle.ts) and the cdk8s app (`npx cdk8s synth`, src/app/prefer-bundle.ts).
 *
 * Never delegates when: SLIPWAY_NO_BUNDLE is set; this process did not start at `self` (the entry
 * was required as a library, or by a test; bundleOf() drops this rule); the caller is itself inside
 * lib/bundle/ (a bundle never delegates again); the bundle is missing or older than `self` (tsc ran
 * since the last bundle, so it may hold old code). The code cache is lib/bundle/<name>.js.v8cache,
 * or <name>.js.v8cache in $SLIPWAY_CODE_CACHE_DIR; written at exit when it was missing or unusable.
 * SLIPWAY_CODE_CACHE=0 loads the bundle with a plain require.
 */
import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadWithCodeCache } from './code-cache';

/** True when the bundle exists and is not older than the compiled entry `self`. */
function freshBundle(self: string, bundle: string): boolean {
  const built = statSync(bundle, { throwIfNoEntry: false });
  const compiled = statSync(self, { throwIfNoEntry: false });
  return !!built && !!compiled && built.mtimeMs >= compiled.mtimeMs;
}

/** The bundle's exports, through the code cache unless SLIPWAY_CODE_CACHE=0. */
function loadBundle(bundle: string, name: string): unknown {
  if (process.env.SLIPWAY_CODE_CACHE === '0') return require(bundle);
  const dir = process.env.SLIPWAY_CODE_CACHE_DIR || dirname(bundle);
  const loaded = loadWithCodeCache(bundle, join(dir, `${name}.js.v8cache`));
  if (loaded.status !== 'hit') process.once('exit', () => loaded.save());
  return loaded.exports;
}

/**
 * Loads lib/bundle/<name>.js instead of `self` (the compiled entry file, its `__filename`) when the
 * rules above allow it, and returns the bundle's exports; undefined when `self` must run itself.
 */
export function delegateToBundle(self: string, name: string): unknown {
  return require.main?.filename === self ? bundleOf(self, name) : undefined;
}

/**
 * The exports of lib/bundle/<name>.js, the bundle of the compiled file `self`, under the rules above
 * except the first: for a process that starts elsewhere and uses `self` as a library (a warm
 * renderer's worker, src/serve/render-worker.ts, runs the CLI's `run`). Undefined: use `self`.
 */
export function bundleOf(self: string, name: string): unknown {
  const libDir = dirname(dirname(self));
  if (basename(libDir) !== 'lib' || basename(dirname(self)) === 'bundle') return undefined;
  if (process.env.SLIPWAY_NO_BUNDLE) return undefined;
  const bundle = join(libDir, 'bundle', `${name}.js`);
  return freshBundle(self, bundle) ? loadBundle(bundle, name) : undefined;
}
