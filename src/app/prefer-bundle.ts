/**
 * Runs the bundled cdk8s app (lib/bundle/app.js) instead of this one when it exists and is fresh
 * (src/cli/bundle-delegate.ts), so `npx cdk8s synth` loads one file through the V8 code cache
 * instead of ~400 modules. Imported first by main.ts.
 */
import { join } from 'node:path';
import { delegateToBundle } from '../cli/bundle-delegate';

const bundled = delegateToBundle(join(__dirname, 'main.js'), 'app') as typeof import('./main') | undefined;

/** True when this process runs the bundle in place of lib/app/main.js. */
export const delegated = bundled !== undefined;

if (bundled) process.exitCode = bundled.runApp();
