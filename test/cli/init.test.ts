/** `slipway init` and the example GitOps repository (examples/gitops-repo). */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { validateCustomResource } from '../support/crd-schema';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { buildOnce, slipway, tempDir, readTree, ROOT, EXAMPLES } from './helpers';

beforeAll(() => buildOnce(), 180_000);

/** NODE_PATH under which `require('slipway')` is this checkout and cdk8s is its dependency. */
function nodePath(): string {
  const dir = tempDir('modules');
  symlinkSync(ROOT, join(dir, 'slipway'));
  return `${dir}:${join(ROOT, 'node_modules')}`;
}

function run(script: string, cwd: string, env: Record<string, string>) {
  return spawnSync(process.execPath, [script], { cwd, encoding: 'utf8', env: { ...process.env, NODE_PATH: nodePath(), ...env } });
}

describe('slipway init', () => {
  it('scaffolds a GitOps repository whose spec validates cleanly and synthesizes', () => {
    const dir = join(tempDir('init'), 'Shop Platform');
    const r = slipway(['init', dir, '--image', 'ghcr.io/acme/shop:1.2.3', '--port', '9000', '--preset', 'node']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'cdk8s.yaml', 'main.js', 'package.json', 'services', 'vendor']);
    expect(readdirSync(join(dir, 'services'))).toEqual(['shop-platform.yaml']);

    const cdk8s = parse(readFileSync(join(dir, 'cdk8s.yaml'), 'utf8'));
    expect(cdk8s.app).toBe('node main.js');
    expect(cdk8s.app).not.toMatch(/ts-node/);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('shop-platform');
    expect(pkg.scripts).toMatchObject({ synth: 'slipway synth services -o dist', validate: 'slipway validate services' });
    expect(Object.keys(pkg.devDependencies)).toEqual(['cdk8s-cli', 'slipway']);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^node_modules\/$/m);

    const spec = parse(readFileSync(join(dir, 'services', 'shop-platform.yaml'), 'utf8'));
    expect(spec).toMatchObject({ name: 'shop-platform', image: { registry: 'ghcr.io', repository: 'acme/shop', tag: '1.2.3' }, ports: [{ name: 'http', containerPort: 9000 }], build: { preset: 'node' } });
    const v = slipway(['validate', '--strict', join(dir, 'services')]);
    expect(v.stderr).toBe('');
    expect(v.status).toBe(0);

    // The package scripts' synth, and the cdk8s app (what `npx cdk8s synth` runs), write the same dist/.
    expect(slipway(['synth', 'services', '-o', 'dist'], { cwd: dir }).status).toBe(0);
    const viaApp = join(tempDir('init-app'), 'dist');
    const app = run('main.js', dir, { CDK8S_OUTDIR: viaApp });
    expect(app.stderr).toBe('');
    expect(app.status).toBe(0);
    expect(readTree(viaApp)).toEqual(readTree(join(dir, 'dist')));
    expect(existsSync(join(viaApp, 'shop-platform', 'manifests', 'shop-platform.k8s.yaml'))).toBe(true);
  }, 60_000);

  it('refuses to scaffold over an existing project, and adds services to it with --service', () => {
    const dir = tempDir('init-existing');
    expect(slipway(['init', dir, '--service', 'api']).status).toBe(0);
    const pkg = readFileSync(join(dir, 'package.json'), 'utf8');

    const again = slipway(['init', dir]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already a project.*--service <name>/);

    const add = slipway(['init', dir, '--service', 'billing']);
    expect(add.status).toBe(0);
    expect(add.stdout).toMatch(/created .*services\/billing\.yaml/);
    expect(readdirSync(join(dir, 'services')).sort()).toEqual(['api.yaml', 'billing.yaml']);
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(pkg);
    expect(slipway(['validate', join(dir, 'services')]).status).toBe(0);
  });

  it('never overwrites a file', () => {
    const dir = tempDir('init-keep');
    mkdirSync(join(dir, 'services'));
    writeFileSync(join(dir, 'services', 'api.yaml'), 'mine\n');
    const r = slipway(['init', dir, '--service', 'api']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/services\/api\.yaml already exists: not overwritten/);
    expect(readFileSync(join(dir, 'services', 'api.yaml'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, 'package.json'))).toBe(false);

    writeFileSync(join(dir, '.gitignore'), 'mine\n');
    const r2 = slipway(['init', dir, '--service', 'web']);
    expect(r2.status).toBe(0);
    expect(r2.stdout).toMatch(/kept +.*\.gitignore \(exists\)/);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('mine\n');
  });

  it('rejects a service name that is not a DNS label', () => {
    const r = slipway(['init', tempDir('init-bad'), '--service', 'My_Service']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/DNS label/);
  });
});

describe('examples/gitops-repo', () => {
  const repo = join(EXAMPLES, 'gitops-repo');

  it('keeps YAML out of the examples/*.yaml glob', () => {
    expect(readdirSync(repo).filter((f) => /\.ya?ml$/.test(f))).toEqual(['cdk8s.yaml']);
    expect(readdirSync(EXAMPLES).filter((f) => f === 'gitops-repo')).toEqual(['gitops-repo']);
  });

  it('has a synth job that writes dist/ itself (cdk8s output is scratch), and a root Application for dist/argocd', () => {
    expect(parse(readFileSync(join(repo, 'cdk8s.yaml'), 'utf8'))).toMatchObject({ app: 'node main.js --output dist', output: '.cdk8s-scratch' });
    const app = parse(readFileSync(join(repo, 'argocd', 'root.yaml'), 'utf8'));
    expect(app).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', spec: { source: { path: 'dist/argocd', directory: { recurse: true } } } });
    expect(validateCustomResource(app)).toEqual([]);
  });

  it('validates cleanly', () => {
    const r = slipway(['validate', '--strict', join(repo, 'services')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('two services x three environments x two clusters: 12 CRD-valid Applications in the committed dist/argocd', () => {
    const tree = readTree(join(repo, 'dist'));
    const apps = [...tree].filter(([p]) => p.startsWith('argocd/')).flatMap(([, t]) => parseAllDocuments(t).map((d) => d.toJS()));
    expect(apps.map((a) => a.metadata.name).sort()).toEqual(['api', 'worker'].flatMap((s) => ['dev', 'prod', 'staging'].flatMap((e) => ['eu', 'us'].map((c) => `${s}-${e}-${c}`))));
    for (const a of apps) expect(validateCustomResource(a)).toEqual([]);
    for (const a of apps) expect(tree.has(`${a.spec.source.path.replace(/^dist\//, '')}/${a.spec.source.helm.valueFiles[0]}`)).toBe(true);
  });

  it('npm run synth (the real cdk8s CLI) renders the committed dist/, slipway diff then says no changes; a bad spec changes nothing', () => {
    const copy = join(tempDir('gitops'), 'repo');
    cpSync(repo, copy, { recursive: true });
    const env = { ...process.env, NODE_PATH: nodePath(), CDK8S_CHECK_UPGRADE: 'false' };
    const cdk8s = () => spawnSync(join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth'], { cwd: copy, encoding: 'utf8', env });
    const committed = readTree(join(repo, 'dist'));
    rmSync(join(copy, 'dist'), { recursive: true });
    const r = cdk8s();
    expect(r.status, r.stderr).toBe(0);
    expect(readTree(join(copy, 'dist'))).toEqual(committed);
    const d = slipway(['diff', join(copy, 'services'), '-o', join(copy, 'dist')]);
    expect(d.stdout + d.stderr).toMatch(/no changes/);
    expect(d.status).toBe(0);
    writeFileSync(join(copy, 'services', 'worker.yaml'), readFileSync(join(copy, 'services', 'worker.yaml'), 'utf8').replace('    replicas: 4\n', '    replicas: 4\n    replica: 5\n'));
    const bad = cdk8s();
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/worker\.yaml:\d+:\d+: environments\.prod\.replica: unknown field; did you mean "replicas"\?/);
    expect(readTree(join(copy, 'dist'))).toEqual(committed);
  }, 120_000);
});
