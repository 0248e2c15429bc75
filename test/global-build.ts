/**
 * vitest globalSetup of `npm test`: builds what the tests run, once, before any test file starts —
 * `tsc` (lib/) and then scripts/bundle.mjs (lib/bundle/ and its code caches). Compiling alone would
 * leave the bundle older than lib/cli/main.js, which the CLI then ignores as stale
 * (src/cli/bundle-delegate.ts): the suite would test the unbundled path, not the one users run.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  const root = join(__dirname, '..');
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle.mjs')], { cwd: root, stdio: 'inherit' });
}
