/**
 * Replacing an output directory moves the previous one aside (`<out>.slipway-old-<pid>`) and a
 * detached process removes it off the critical path (src/outdir/remove.ts). That process must
 * work from every entry point users run — the CLI and the cdk8s app, bundled (lib/bundle/, what
 * an installation runs) and unbundled — and must do nothing else: it once required the bundle it
 * was started from, which in the CLI's bundle found no `removeAside` (the old directory stayed
 * forever) and in the app's bundle ran the whole app again (a new synth, a new directory moved
 * aside, a new process: an endless chain).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOnce, CLI, EXAMPLES, ROOT, tempDir } from './helpers';

const APP = join(ROOT, 'lib', 'app', 'main.js');
const oldDirs = (out: string) => readdirSync(join(out, '..')).filter((n) => n.includes('.slipway-old-'));
/** Processes whose command line names `path` (the detached remover gets the moved-aside path). */
const processesNaming = (path: string) => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
  try {
    return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(path);
  } catch {
    return false;
  }
});

async function settled(out: string): Promise<{ old: string[]; running: string[] }> {
  for (let i = 0; i < 100; i++) {
    if (!oldDirs(out).length && !processesNaming(join(out, '..')).length) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // Still nothing after a further pause: a chain of removers would have made a new one by now.
  await new Promise((r) => setTimeout(r, 500));
  return { old: oldDirs(out), running: processesNaming(join(out, '..')) };
}

const ENTRIES: [string, (specs: string, out: string) => string[]][] = [
  ['slipway synth', (specs, out) => [CLI, 'synth', specs, '-o', out]],
  ['the cdk8s app', (_specs, out) => [APP, '--output', out]],
];

describe.each(ENTRIES)('%s: the directory moved aside is removed, and nothing else runs', (_what, argv) => {
  for (const bundled of [true, false]) {
    it(bundled ? 'bundled' : 'unbundled (SLIPWAY_NO_BUNDLE=1)', async () => {
      buildOnce();
      const dir = tempDir('cleanup');
      const specs = join(dir, 'specs');
      cpSync(join(EXAMPLES, 'ghillie.yaml'), join(specs, 'ghillie.yaml'), { recursive: true });
      const out = join(dir, 'out');
      const env = { ...process.env, SLIPWAY_SPECS: specs, CDK8S_OUTDIR: '', SLIPWAY_SYNC_CLEANUP: '', ...(bundled ? {} : { SLIPWAY_NO_BUNDLE: '1' }) };
      const run = () => spawnSync(process.execPath, argv(specs, out), { cwd: dir, env, encoding: 'utf8' });
      expect(run().status).toBe(0);
      writeFileSync(join(specs, 'ghillie.yaml'), readFileSync(join(specs, 'ghillie.yaml'), 'utf8').replace(/^description: .*$/m, 'description: changed'));
      const second = run();
      expect(second.status, second.stderr).toBe(0);
      expect(readFileSync(join(out, '.slipway-owned'), 'utf8')).toContain('ghillie/');
      const { old, running } = await settled(out);
      expect(old).toEqual([]);
      expect(running).toEqual([]);
      expect(existsSync(join(out, 'ghillie'))).toBe(true);
    }, 30_000);
  }
});
