/**
 * The bundled CLI (scripts/bundle.mjs -> lib/bundle/, run by lib/cli/main.js when present) gives
 * byte-identical results to the unbundled one (SLIPWAY_NO_BUNDLE=1): every example's `synth
 * --stdout` (the Argo CD plugin's generate), the examples as one fleet, and a bad spec's error and
 * exit code; the bundled cdk8s app (lib/bundle/app.js) writes the same dist/ as lib/app/main.js. A
 * stale bundle (older than the compiled entry) is never run. The suite itself runs the bundle:
 * test/global-build.ts bundles after compiling, and no test compiles again.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, EXAMPLES, exampleFiles, readTree, ROOT, slipway, tempDir } from './helpers';

const BUNDLE = join(ROOT, 'lib', 'bundle', 'main.js');
const APP_BUNDLE = join(ROOT, 'lib', 'bundle', 'app.js');
const APP = join(ROOT, 'lib', 'app', 'main.js');
const esbuildPresent = (() => { try { require.resolve('esbuild'); return true; } catch { return false; } })();

// Before the next describe block rebuilds the bundle: what test/global-build.ts left.
describe.skipIf(!esbuildPresent)('the suite runs the bundled CLI and app', () => {
  it('each bundle is at least as new as its compiled entry (else the CLI would ignore it as stale)', () => {
    for (const [bundle, entry] of [[BUNDLE, join(ROOT, 'lib', 'cli', 'main.js')], [APP_BUNDLE, APP]]) {
      expect(existsSync(bundle), bundle).toBe(true);
      expect(statSync(bundle).mtimeMs, bundle).toBeGreaterThanOrEqual(statSync(entry).mtimeMs);
    }
  });
});

/** Runs the cdk8s app on the examples into a fresh `<tmp>/dist`; its exit status and the tree. */
function app(tag: string, env: Record<string, string> = {}): { status: number | null; stderr: string; tree: Map<string, string> } {
  const out = join(tempDir(`bundle-app-${tag}`), 'dist');
  const r = spawnSync(process.execPath, [APP, '--output', out], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SLIPWAY_SPECS: EXAMPLES, CDK8S_OUTDIR: '', ...env } });
  return { status: r.status, stderr: r.stderr, tree: existsSync(out) ? readTree(out) : new Map() };
}

describe.skipIf(!esbuildPresent)('bundled CLI = unbundled CLI', () => {
  beforeAll(() => {
    buildOnce();
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs')], { cwd: ROOT, stdio: 'pipe' });
    expect(existsSync(BUNDLE)).toBe(true);
  }, 120_000);

  const both = (args: string[], cwd = EXAMPLES) => [slipway(args, { cwd }), slipway(args, { cwd, env: { SLIPWAY_NO_BUNDLE: '1' } })];

  for (const file of exampleFiles()) {
    it(`synth --stdout of ${file.split('/').pop()}`, () => {
      const [bundled, plain] = both(['synth', '--stdout', '--input-root', '.', '--', file.split('/').pop()!]);
      expect(plain.status, plain.stderr).toBe(0);
      expect(bundled.status).toBe(0);
      expect(bundled.stdout).toBe(plain.stdout);
      expect(bundled.stderr).toBe(plain.stderr);
    });
  }

  it('synth --stdout of the examples as one fleet', () => {
    const [bundled, plain] = both(['synth', '--stdout', '.']);
    expect(plain.status, plain.stderr).toBe(0);
    expect(bundled.stdout).toBe(plain.stdout);
  });

  it('a bad spec: same error, same exit code', () => {
    const dir = tempDir('bundle-bad');
    writeFileSync(join(dir, 'svc.yaml'), 'name: web\nversion: "1.0.0"\nimage: { repository: acme/web }\nreplicas: many\n');
    const [bundled, plain] = both(['synth', '--stdout', 'svc.yaml'], dir);
    expect(plain.status).toBe(2);
    expect(bundled.status).toBe(2);
    expect(bundled.stderr).toBe(plain.stderr);
  });

  it('the cdk8s app: the bundle writes the same dist/ as lib/app/main.js', () => {
    const bundled = app('bundled');
    const plain = app('plain', { SLIPWAY_NO_BUNDLE: '1' });
    expect(plain.status, plain.stderr).toBe(0);
    expect(bundled.status, bundled.stderr).toBe(0);
    expect(plain.tree.size).toBeGreaterThan(20);
    expect([...bundled.tree.keys()]).toEqual([...plain.tree.keys()]);
    for (const [f, text] of plain.tree) expect(bundled.tree.get(f), f).toBe(text);
  });

  it('the cdk8s app runs only as a program: requiring it, bundled or not, writes nothing', () => {
    for (const file of [APP, APP_BUNDLE]) {
      const out = join(tempDir('bundle-app-required'), 'dist');
      const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(file)})`, '--', '--output', out], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SLIPWAY_SPECS: EXAMPLES, CDK8S_OUTDIR: out } });
      expect(r.status, `${file}: ${r.stderr}`).toBe(0);
      expect(existsSync(out), file).toBe(false);
    }
  });

  it('the cdk8s app: a stale bundle is not run', () => {
    const saved = statSync(APP_BUNDLE);
    const text = readFileSync(APP_BUNDLE, 'utf8');
    try {
      writeFileSync(APP_BUNDLE, `exports.runApp = () => { process.stderr.write('STALE APP BUNDLE\\n'); return 7; };\n`);
      const past = new Date(statSync(APP).mtimeMs - 60_000);
      utimesSync(APP_BUNDLE, past, past);
      const stale = app('stale');
      expect(stale.stderr).not.toContain('STALE APP BUNDLE');
      expect(stale.status).toBe(0);
      utimesSync(APP_BUNDLE, saved.atime, new Date());
      const fresh = app('fresh');
      expect(fresh.stderr).toContain('STALE APP BUNDLE');
      expect(fresh.status).toBe(7);
    } finally {
      writeFileSync(APP_BUNDLE, text);
    }
  });

  it('a stale bundle is not run', () => {
    const saved = statSync(BUNDLE);
    const past = new Date(statSync(join(ROOT, 'lib', 'cli', 'main.js')).mtimeMs - 60_000);
    const marker = `globalThis.__slipwayStale = 1; process.stdout.write('STALE BUNDLE\\n');\n`;
    const text = require('node:fs').readFileSync(BUNDLE, 'utf8') as string;
    try {
      const nl = text.startsWith('#!') ? text.indexOf('\n') + 1 : 0; // after the shebang
      writeFileSync(BUNDLE, text.slice(0, nl) + marker + text.slice(nl));
      utimesSync(BUNDLE, past, past);
      expect(slipway(['--version']).stdout).not.toContain('STALE BUNDLE');
      utimesSync(BUNDLE, saved.atime, new Date());
      expect(slipway(['--version']).stdout).toContain('STALE BUNDLE');
    } finally {
      writeFileSync(BUNDLE, text);
    }
  });
});
