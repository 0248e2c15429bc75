/**
 * The V8 code cache of the bundle (src/cli/code-cache.ts, used by src/cli/prefer-bundle.ts) can make
 * a run faster, never different or failing: with no cache, a fresh one, a stale one (another bundle
 * or Node.js), a corrupt or truncated one, or a cache directory that cannot be written, the output,
 * errors and exit code are those of the plain bundle, and a usable cache is (re)written when it can be.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWithCodeCache } from '../../src/cli/code-cache';
import { buildOnce, EXAMPLES, ROOT, slipway, tempDir } from './helpers';

const esbuildPresent = (() => { try { require.resolve('esbuild'); return true; } catch { return false; } })();

describe('loadWithCodeCache', () => {
  const dir = tempDir('code-cache-unit');
  const file = join(dir, 'mod.js');
  const cache = join(dir, 'cache', 'mod.js.v8cache');
  writeFileSync(file, '#!/usr/bin/env node\nexports.sum = (a, b) => a + b;\nexports.where = [__filename, __dirname];\nexports.req = typeof require("node:path").join;\n');

  it('compiles without a cache, writes one, and uses it next time', () => {
    const first = loadWithCodeCache(file, cache);
    expect(first.status).toBe('missing');
    expect((first.exports as { sum: (a: number, b: number) => number }).sum(2, 3)).toBe(5);
    expect((first.exports as { where: string[] }).where).toEqual([file, dir]);
    expect((first.exports as { req: string }).req).toBe('function');
    expect(first.save()).toBe(true);
    expect(readdirSync(join(dir, 'cache'))).toEqual(['mod.js.v8cache']); // no temporary file left
    const second = loadWithCodeCache(file, cache);
    expect(second.status).toBe('hit');
    expect((second.exports as { sum: (a: number, b: number) => number }).sum(2, 3)).toBe(5);
  });

  it('a cache of another source is stale; a damaged one is corrupt; both still load', () => {
    loadWithCodeCache(file, cache).save();
    const good = readFileSync(cache);
    writeFileSync(file, readFileSync(file, 'utf8').replace('a + b', 'a - b'));
    const stale = loadWithCodeCache(file, cache);
    expect(stale.status).toBe('stale');
    expect((stale.exports as { sum: (a: number, b: number) => number }).sum(2, 3)).toBe(-1);
    expect(stale.save()).toBe(true);
    expect(loadWithCodeCache(file, cache).status).toBe('hit');

    const fresh = readFileSync(cache);
    const flipped = Buffer.from(fresh);
    flipped[flipped.length - 7] ^= 0xff;
    for (const bad of [flipped, fresh.subarray(0, fresh.length - 100), Buffer.from('garbage'), Buffer.alloc(0), good]) {
      writeFileSync(cache, bad);
      const r = loadWithCodeCache(file, cache);
      expect(r.status).not.toBe('hit');
      expect((r.exports as { sum: (a: number, b: number) => number }).sum(2, 3)).toBe(-1);
    }
  });

  it('a directory that cannot be created or written: save() returns false, loading still works', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const r = loadWithCodeCache(file, join(blocker, 'sub', 'mod.js.v8cache'));
    expect(r.status).toBe('missing');
    expect(r.save()).toBe(false);
  });
});

describe.skipIf(!esbuildPresent)('the CLI with its code cache', () => {
  beforeAll(() => {
    buildOnce();
    // The bundle runs only when it is not older than lib/cli/main.js (src/cli/prefer-bundle.ts).
    const bundle = join(ROOT, 'lib', 'bundle', 'main.js');
    if (!existsSync(bundle) || statSync(bundle).mtimeMs < statSync(join(ROOT, 'lib', 'cli', 'main.js')).mtimeMs) execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs')], { cwd: ROOT, stdio: 'pipe' });
  }, 120_000);

  const args = ['synth', '--stdout', '--input-root', '.', '--', 'ghillie.yaml'];
  const plain = () => slipway(args, { cwd: EXAMPLES, env: { SLIPWAY_CODE_CACHE: '0' } });

  it('no cache, a fresh cache, a corrupt and a stale one: identical output, cache (re)written', () => {
    const want = plain();
    expect(want.status, want.stderr).toBe(0);
    const dir = tempDir('code-cache-cli');
    const cache = join(dir, 'main.js.v8cache');
    const run = () => slipway(args, { cwd: EXAMPLES, env: { SLIPWAY_CODE_CACHE_DIR: dir } });
    const same = (r: ReturnType<typeof plain>) => {
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(want.stdout);
      expect(r.stderr).toBe(want.stderr);
    };
    same(run());
    expect(existsSync(cache)).toBe(true);
    const written = readFileSync(cache);
    same(run());
    expect(readFileSync(cache).equals(written)).toBe(true); // a hit is not rewritten

    const corrupt = Buffer.from(written);
    for (let i = corrupt.indexOf(10) + 1; i < corrupt.length; i += 997) corrupt[i] ^= 0x5a;
    writeFileSync(cache, corrupt);
    same(run());
    expect(readFileSync(cache).equals(corrupt)).toBe(false);

    const text = written.toString('latin1');
    writeFileSync(cache, Buffer.from(text.replace(/ \| [0-9a-f]{40} /, ` | ${'0'.repeat(40)} `), 'latin1'));
    same(run());
    const key = (t: string) => t.split('\n')[0].split(' | ').slice(0, 2).join(' | '); // the data itself may differ run to run
    expect(key(readFileSync(cache).toString('latin1'))).toBe(key(text));
  });

  it('an unwritable cache directory does not fail the run', () => {
    const want = plain();
    const blocker = join(tempDir('code-cache-ro'), 'a-file');
    writeFileSync(blocker, 'not a directory');
    const r = slipway(args, { cwd: EXAMPLES, env: { SLIPWAY_CODE_CACHE_DIR: join(blocker, 'cache') } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(want.stdout);
    expect(r.stderr).toBe(want.stderr);
  });

  it('a bad spec: same error and exit code with and without the cache', () => {
    const dir = tempDir('code-cache-bad');
    writeFileSync(join(dir, 'svc.yaml'), 'name: web\nversion: "1.0.0"\nimage: { repository: acme/web }\nreplicas: many\n');
    const cacheDir = tempDir('code-cache-bad-cache');
    const want = slipway(['synth', '--stdout', 'svc.yaml'], { cwd: dir, env: { SLIPWAY_CODE_CACHE: '0' } });
    for (let i = 0; i < 2; i++) {
      const r = slipway(['synth', '--stdout', 'svc.yaml'], { cwd: dir, env: { SLIPWAY_CODE_CACHE_DIR: cacheDir } });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(want.stderr);
    }
  });
});
