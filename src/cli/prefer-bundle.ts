/**
 * Runs the bundled CLI (lib/bundle/main.js, made by scripts/bundle.mjs) instead of this one when it
 * exists: it loads in about three quarters of the CPU (bench/RESULTS.md). Imported first by
 * main.ts, so it runs before commander or anything else is required. SLIPWAY_NO_BUNDLE=1 turns it
 * off; the bundle itself never delegates again. A bundle older than lib/cli/main.js (tsc ran
 * since the last bundle) is stale and ignored.
 *
 * The bundle is loaded through a V8 code cache (src/cli/code-cache.ts): lib/bundle/main.js.v8cache,
 * or main.js.v8cache in $SLIPWAY_CODE_CACHE_DIR; written at exit when it was missing or unusable.
 * SLIPWAY_CODE_CACHE=0 loads the bundle with a plain require.
 */
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadWithCodeCache } from './code-cache';

/** True when this process is running the bundle in place of lib/cli/main.js. */
export let delegated = false;

const main = require.main;
const bundle = join(__dirname, '..', 'bundle', 'main.js');
/** The bundle's path when it exists and is not older than the compiled CLI. */
function freshBundle(): string | undefined {
  const built = statSync(bundle, { throwIfNoEntry: false });
  const self = statSync(join(__dirname, 'main.js'), { throwIfNoEntry: false });
  return built && self && built.mtimeMs >= self.mtimeMs ? bundle : undefined;
}

/** The bundle's exports, through the code cache unless SLIPWAY_CODE_CACHE=0. */
function loadBundle(): unknown {
  if (process.env.SLIPWAY_CODE_CACHE === '0') return require(bundle);
  const dir = process.env.SLIPWAY_CODE_CACHE_DIR || join(__dirname, '..', 'bundle');
  const loaded = loadWithCodeCache(bundle, join(dir, 'main.js.v8cache'));
  if (loaded.status !== 'hit') process.once('exit', () => loaded.save());
  return loaded.exports;
}

if (main && basename(__dirname) === 'cli' && main.filename === join(__dirname, 'main.js') && !process.env.SLIPWAY_NO_BUNDLE && freshBundle()) {
  delegated = true;
  const { run } = loadBundle() as typeof import('./main');
  // exitCode, not exit(): a large --stdout stream must drain before the process ends.
  run(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
