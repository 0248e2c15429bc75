/**
 * The bundled CLI (scripts/bundle.mjs -> lib/bundle/, run by lib/cli/main.js when present) gives
 * byte-identical results to the unbundled one (SLIPWAY_NO_BUNDLE=1): every example's `synth
 * --stdout` (the Argo CD plugin's generate), the examples as one fleet, and a bad spec's error and
 * exit code. A stale bundle (older than lib/cli/main.js) is never run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOnce, EXAMPLES, exampleFiles, ROOT, slipway, tempDir } from './helpers';

const BUNDLE = join(ROOT, 'lib', 'bundle', 'main.js');
const esbuildPresent = (() => { try { require.resolve('esbuild'); return true; } catch { return false; } })();

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
