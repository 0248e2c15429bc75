/**
 * Runs the bundled CLI (lib/bundle/main.js) instead of this one when it exists and is fresh
 * (src/cli/bundle-delegate.ts): it loads in about three quarters of the CPU (bench/RESULTS.md).
 * Imported first by main.ts, so it runs before commander or anything else is required.
 */
import { join } from 'node:path';
import { delegateToBundle } from './bundle-delegate';

const bundled = delegateToBundle(join(__dirname, 'main.js'), 'main') as typeof import('./main') | undefined;

/** True when this process is running the bundle in place of lib/cli/main.js. */
export const delegated = bundled !== undefined;

if (bundled) {
  // exitCode, not exit(): a large --stdout stream must drain before the process ends.
  bundled.run(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
