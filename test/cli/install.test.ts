/**
 * Slipway installs as scaffolded: `npm pack` of this checkout, `slipway init` in a fresh directory
 * (which vendors that archive and depends on it with `file:`), `npm install --offline`, then
 * `npm run synth` and `npx cdk8s synth` with the installed Slipway. No network: the registry is not
 * reachable from tests, and npm's offline mode cannot resolve version ranges without the registry's
 * package documents, so the test writes a package-lock.json pinning the versions of Slipway's own lock
 * (whose archives are in the npm cache since `npm ci`); the user's `npm install` resolves them online.
 * Slow-ish (about 5-10 s).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildOnce, slipway, tempDir, ROOT } from './helpers';

beforeAll(() => buildOnce(), 180_000);

/** A package-lock.json for the scaffold: its root, slipway from the vendored archive, and Slipway's locked tree. */
function lockFor(dir: string, tarball: string): void {
  const main = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; devDependencies: Record<string, string> };
  const me = main.packages[''];
  const packages: Record<string, unknown> = { '': { name: pkg.name, version: pkg.version, devDependencies: pkg.devDependencies } };
  packages['node_modules/slipway'] = { version: me.version, resolved: `file:${tarball}`, dev: true, license: me.license, dependencies: me.dependencies, bin: me.bin, engines: me.engines };
  for (const [k, v] of Object.entries(main.packages)) if (k) packages[k] = v;
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages }, null, 2));
}

function npm(args: string[], cwd: string) {
  return spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
}

describe('installing Slipway as `slipway init` scaffolds it', () => {
  it('npm pack ships lib, docs and the JSON Schema', () => {
    const dest = tempDir('pack');
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dest, ROOT], { stdio: 'pipe' });
    const tgz = readdirSync(dest).find((f) => f.endsWith('.tgz'))!;
    const list = execFileSync('tar', ['tzf', join(dest, tgz)], { encoding: 'utf8' }).split('\n');
    for (const f of ['package/lib/cli/main.js', 'package/schema/slipway.schema.json', 'package/docs/cli.md', 'package/docs/library.md', 'package/docs/defaults.md', 'package/README.md']) expect(list).toContain(f);
    expect(list.filter((f) => f.startsWith('package/test/') || f.startsWith('package/src/'))).toEqual([]);
  }, 60_000);

  it('init, npm install --offline, npm run synth and npx cdk8s synth work in a fresh directory', () => {
    const dir = join(tempDir('install'), 'shop');
    const init = slipway(['init', dir, '--image', 'ghcr.io/acme/shop:1.2.3']);
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.devDependencies.slipway).toBe('file:vendor/slipway-0.1.0.tgz');
    expect(existsSync(join(dir, 'vendor', 'slipway-0.1.0.tgz'))).toBe(true);

    lockFor(dir, 'vendor/slipway-0.1.0.tgz');
    const install = npm(['install', '--offline', '--no-audit', '--no-fund'], dir);
    expect(install.stderr).not.toMatch(/npm error/);
    expect(install.status).toBe(0);
    // What error messages and the scaffolded spec point at is shipped.
    const spec = readFileSync(join(dir, 'services', 'shop.yaml'), 'utf8');
    const schemaRef = /\$schema=(\S+)/.exec(spec)![1];
    expect(existsSync(join(dir, 'services', schemaRef))).toBe(true);
    expect(existsSync(join(dir, 'node_modules', 'slipway', 'docs', 'library.md'))).toBe(true);
    expect(readFileSync(join(dir, 'node_modules', 'slipway', 'lib', 'spec', 'types.d.ts'), 'utf8')).toContain('@default');
    // Shipped docs name src/spec/types.ts (not shipped) only next to what is shipped.
    for (const f of readdirSync(join(dir, 'node_modules', 'slipway', 'docs')).filter((n) => n.endsWith('.md'))) {
      const text = readFileSync(join(dir, 'node_modules', 'slipway', 'docs', f), 'utf8');
      if (text.includes('src/spec/types.ts')) expect(text, f).toMatch(/lib\/spec\/types\.d\.ts/);
    }

    const synth = npm(['run', 'synth'], dir);
    expect(synth.status, synth.stderr).toBe(0);
    const manifests = readFileSync(join(dir, 'dist', 'shop', 'manifests', 'shop.k8s.yaml'), 'utf8');
    expect(manifests).toContain('image: ghcr.io/acme/shop:1.2.3');
    const chart = parse(readFileSync(join(dir, 'dist', 'shop', 'chart', 'shop', 'Chart.yaml'), 'utf8'));
    expect(chart.appVersion).toBe('1.2.3'); // version follows the tag that runs

    // Installed, Slipway has no helm of its own: --package without helm on PATH says so plainly.
    const pkgRun = spawnSync(process.execPath, [join(dir, 'node_modules', 'slipway', 'lib', 'cli', 'main.js'), 'synth', 'services', '-o', 'packaged', '--package'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: '/nonexistent', SLIPWAY_HELM: '' } });
    expect(pkgRun.status).toBe(2);
    expect(pkgRun.stderr).toContain('error: --package needs Helm 3 or 4 to package the charts, and helm was not found on PATH');

    const cdk8s = npm(['exec', '--offline', '--', 'cdk8s', 'synth'], dir);
    expect(cdk8s.status, cdk8s.stderr).toBe(0);
    expect(readFileSync(join(dir, 'dist', 'shop', 'manifests', 'shop.k8s.yaml'), 'utf8')).toBe(manifests);
  }, 60_000);

  it('--slipway writes the dependency spec given, and nothing is vendored', () => {
    const dir = join(tempDir('install-spec'), 'repo');
    const r = slipway(['init', dir, '--slipway', 'git+https://example.invalid/slipway.git#v0.1.0', '--image', 'nginx:1.27']);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).devDependencies.slipway).toBe('git+https://example.invalid/slipway.git#v0.1.0');
    expect(existsSync(join(dir, 'vendor'))).toBe(false);
  });
});

describe('the image tag is never guessed', () => {
  it.each([['postgres'], ['docker.io/library/postgres'], ['localhost:5000/team/api']])('--image %s without a tag is refused, nothing written', (image) => {
    const dir = join(tempDir('init-notag'), 'db');
    const r = slipway(['init', dir, '--image', image, '--slipway', 'file:../x.tgz']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--image ${image}: give the tag that runs, e.g. ${image}:1.2.3`);
    expect(existsSync(dir)).toBe(false);
  });

  it('without --image the placeholder tag is written and marked as one', () => {
    const dir = join(tempDir('init-placeholder'), 'api');
    expect(slipway(['init', dir, '--slipway', 'file:../x.tgz']).status).toBe(0);
    const text = readFileSync(join(dir, 'services', 'api.yaml'), 'utf8');
    expect(text).toMatch(/^ {2}tag: "0\.1\.0" +# placeholder: your image and the tag that runs/m);
    expect(parse(text).version).toBe('0.1.0');
  });

  it('version follows the tag given', () => {
    const dir = join(tempDir('init-version'), 'db');
    expect(slipway(['init', dir, '--image', 'postgres:16.4', '--slipway', 'file:../x.tgz']).status).toBe(0);
    expect(parse(readFileSync(join(dir, 'services', 'db.yaml'), 'utf8'))).toMatchObject({ version: '16.4', image: { repository: 'postgres', tag: '16.4' } });
  });
});
