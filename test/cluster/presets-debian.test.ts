/**
 * The python and node presets' Dockerfiles built for real, with buildah, on base images made from
 * this Debian host's own packages (no registry image can be pulled here): test/image-real/
 * debian-base.sh copies the interpreter, its libraries and the tools the Dockerfile runs onto
 * `FROM scratch` and tags the result as the image the preset's FROM names (python:3.11-slim,
 * node:20-bookworm-slim). A minimal app (test/image-real/<preset>/) is synthesized by Slipway,
 * built from the generated Dockerfile, and run with `buildah run`: it prints its runtime and uid,
 * which must be the image's numeric USER.
 *
 * Both build offline, buildah in a network namespace with only a loopback: python's pip resolves setuptools and wheel from
 * Debian's wheels; node's base stage runs `apt-get update && apt-get install tini=…` unchanged
 * against the base image's only apt source, a local flat repository of the pinned tini .deb that
 * `scripts/bootstrap-tools.sh node` downloaded into the tools cache (`debs/`).
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/examples';
import { toolsBinDir } from '../support/tools';

const exec = promisify(execFile);
const DIR = path.join(ROOT, 'test', 'image-real');
const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
/** The .deb files the node preset installs, downloaded by `scripts/bootstrap-tools.sh node`. */
const DEBS = path.join(path.dirname(toolsBinDir()), 'debs');

function unavailable(preset: 'python' | 'node'): string | undefined {
  if (process.getuid?.() !== 0) return 'not root (buildah builds as root here)';
  for (const bin of ['buildah', 'unshare', 'ldd', 'getent', 'useradd', 'groupadd']) if (!has(bin)) return `${bin} not installed`;
  if (!fs.existsSync(path.join(ROOT, 'lib', 'cli', 'main.js'))) return 'lib/ not built (npm run build)';
  if (preset === 'python') {
    if (!fs.existsSync('/usr/bin/python3')) return 'no Debian python3';
    if (spawnSync('/usr/bin/python3', ['-c', 'import ensurepip, venv']).status !== 0) return 'python3-venv not installed';
    if (!fs.readdirSync('/usr/share/python-wheels', { withFileTypes: true }).length) return 'python3-pip-whl not installed';
  } else {
    if (!fs.existsSync('/usr/bin/node') || !fs.existsSync('/usr/lib/node_modules/npm/bin/npm-cli.js')) return 'no node + npm in /usr';
    if (!has('apt-get') || !has('dpkg') || !has('dpkg-scanpackages')) return 'no apt-get/dpkg/dpkg-scanpackages (dpkg-dev)';
    if (!fs.existsSync(DEBS) || !fs.readdirSync(DEBS).some((f) => /^tini_.*\.deb$/.test(f))) return `no tini .deb in ${DEBS}: run scripts/bootstrap-tools.sh node`;
  }
  return undefined;
}

const PRESETS = [
  { preset: 'python' as const, service: 'hello-py', expect: /^hello from python 3\.\d+\.\d+ as uid 10001 in \/opt\/venv$/m },
  { preset: 'node' as const, service: 'hello-node', expect: /^hello from node v\d+\.\d+\.\d+ as uid 10001 \(NODE_ENV=production\)$/m },
];

describe('python and node presets built with buildah on bases made from Debian packages', () => {
  const works: string[] = [];
  afterAll(() => { for (const w of works) fs.rmSync(w, { recursive: true, force: true }); });

  for (const p of PRESETS) {
    const why = unavailable(p.preset);
    if (why) console.warn(`SKIPPED ${p.preset} preset build: ${why}`);
    it.skipIf(!!why)(`${p.preset}: the generated Dockerfile builds, runs as its numeric USER, and the app runs`, async () => {
      const work = fs.mkdtempSync(path.join(os.tmpdir(), `slipway-${p.preset}-`));
      works.push(work);
      const storage = ['--root', path.join(work, 'storage'), '--runroot', path.join(work, 'run'), '--storage-driver', 'vfs'];
      const env = { ...process.env, BUILDAH_ISOLATION: 'chroot' };
      const buildah = (...args: string[]) => exec('buildah', [...storage, ...args], { env, maxBuffer: 64 << 20 });
      const t: Record<string, number> = {};
      const timed = async <T>(name: string, fn: () => Promise<T>) => { const s = Date.now(); try { return await fn(); } finally { t[name] = Date.now() - s; } };

      const app = path.join(work, 'app');
      fs.cpSync(path.join(DIR, p.preset), app, { recursive: true });
      const out = path.join(work, 'out');
      await exec(process.execPath, [path.join(ROOT, 'lib', 'cli', 'main.js'), 'synth', path.join(app, 'slipway.yaml'), '-o', out]);
      const dockerfile = path.join(out, p.service, 'image', 'Dockerfile');
      const text = fs.readFileSync(dockerfile, 'utf8');
      const from = /^FROM (\S+) AS /m.exec(text)![1];
      const base = from.includes('/') ? from : `docker.io/library/${from}`;
      await timed('base image from Debian packages', () => exec('sh', [path.join(DIR, 'debian-base.sh'), p.preset, base, ...storage], { env: { ...env, SLIPWAY_APT_DEBS: DEBS }, maxBuffer: 16 << 20 }));
      const image = `localhost/slipway/${p.service}:0.1.0`;
      // No network in the build: buildah runs in a network namespace of its own with only a
      // loopback (`--network none` is ignored under chroot isolation), so every RUN is offline and
      // node's apt-get can only read the local repository.
      const build = await timed('buildah bud (generated Dockerfile)', () => exec('unshare', ['--net', 'buildah', ...storage, 'bud', '--pull=never', '--platform', 'linux/amd64', '-f', dockerfile, '-t', image, app], { env, maxBuffer: 64 << 20 }));
      if (p.preset === 'node') expect(build.stdout + build.stderr).toMatch(/Setting up tini \(0\.19\.0/);
      const config = JSON.parse((await buildah('inspect', '--type', 'image', image)).stdout).OCIv1.config;
      const user = /^USER (\S+)$/m.exec(text)![1];
      expect(config.User).toBe(user);
      expect(user).toBe('10001:10001');
      const ctr = (await buildah('from', '--pull=never', image)).stdout.trim();
      try {
        // The image's own entrypoint and user, as a container runtime would start it.
        const r = await timed('buildah run', () => buildah('run', ctr, '--', ...config.Entrypoint));
        expect(r.stdout).toMatch(p.expect);
      } finally {
        await buildah('rm', ctr);
      }
      console.log(`[presets] ${p.preset} (${from}) timings (ms): ${JSON.stringify(t)}`);
    }, 240_000);
  }
});
