/**
 * Runs the bundled cdk8s app (lib/bundle/app.js) instead of this one when it exists and is fresh
 * (src/cli/bundle-delegate.ts), so `npx cdk8s synth` loads one file through the V8 code cache
 * instead of ~400 modules. Imported first by main.ts; the bundle runs the app as it loads.
 */
import { join } from 'node:path';
import { delegateToBundle } from '../cli/bundle-delegate';

/** True when this process ran the bundle in place of lib/app/main.js. */
export const delegated = delegateToBundle(join(__dirname, 'main.js'), 'app') !== undefined;
