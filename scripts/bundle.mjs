#!/usr/bin/env node
/**
 * Bundles the compiled CLI (lib/cli/*.js) and the cdk8s app (lib/app/main.js, as app.js) with their
 * dependencies into lib/bundle/ with esbuild: one file to read and compile instead of ~400 modules
 * to resolve, which takes about a quarter off the CPU of a cold one-service `slipway synth
 * --stdout` (bench/RESULTS.md, "Where the time goes"). lib/cli/main.js and lib/app/main.js run
 * their bundle when it is there and fresh (src/cli/bundle-delegate.ts); without it (no esbuild
 * installed, or SLIPWAY_NO_BUNDLE=1) they run from lib/ as before, with identical output.
 *
 * esbuild is not a dependency of its own yet: the one vitest brings is used when present; without
 * it this prints a note and exits 0, so `npm ci` / `npm run build` still work.
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'lib', 'bundle');
// Every file run as a process or worker entry point, by its name in lib/bundle/ (lib/cli/* keep
// theirs; the cdk8s app is app.js): their __dirname-relative paths stay valid there, one level below lib/.
const ENTRIES = {
  ...Object.fromEntries(['main', 'worker', 'writer', 'synth-state-worker'].map((f) => [f, join(ROOT, 'lib', 'cli', `${f}.js`)])),
  app: join(ROOT, 'lib', 'app', 'main.js'),
};

const require = createRequire(import.meta.url);
let esbuild;
try {
  esbuild = require('esbuild');
} catch {
  console.log('scripts/bundle.mjs: esbuild is not installed; the CLI runs unbundled from lib/cli/');
  process.exit(0);
}
for (const e of Object.values(ENTRIES)) {
  if (!existsSync(e)) {
    console.error(`scripts/bundle.mjs: ${e} is missing: run tsc first`);
    process.exit(2);
  }
}
rmSync(OUT, { recursive: true, force: true });
await esbuild.build({
  entryPoints: ENTRIES,
  outdir: OUT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  legalComments: 'none',
});
// esbuild escapes non-ASCII characters in strings but keeps them in the comments it keeps: escape
// those too (\uXXXX is inert in a comment), so the CLI can decode its bundle as Latin-1
// (src/cli/code-cache.ts).
for (const name of Object.keys(ENTRIES)) {
  const file = join(OUT, `${name}.js`);
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`); // per UTF-16 unit
  if (ascii !== text) writeFileSync(file, ascii);
}
// Writes the V8 code caches (lib/bundle/{main,app}.js.v8cache, src/cli/code-cache.ts) by rendering
// the examples once with each, so an installation whose lib/ is read-only (an image) starts with
// them. Best effort: without them the first run writes them, or every run compiles as before.
{
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const env = { ...process.env, SLIPWAY_CODE_CACHE_DIR: '' };
  spawnSync(process.execPath, [join(ROOT, 'lib', 'cli', 'main.js'), 'synth', '--stdout', '--input-root', '.', '.'], {
    cwd: join(ROOT, 'examples'),
    stdio: 'ignore',
    env,
  });
  const scratch = mkdtempSync(join(tmpdir(), 'slipway-bundle-'));
  try {
    spawnSync(process.execPath, [join(ROOT, 'lib', 'app', 'main.js'), '--output', join(scratch, 'dist')], {
      cwd: ROOT,
      stdio: 'ignore',
      env: { ...env, SLIPWAY_SPECS: join(ROOT, 'examples'), CDK8S_OUTDIR: '' },
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
