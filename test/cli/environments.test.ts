/** The CLI with environments and Argo CD Applications: synth, incremental re-synth, --stdout, diff. */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildOnce, readTree, slipway, tempDir } from './helpers';
import { ENV_SPEC } from '../environments/fixture';

beforeAll(() => buildOnce(), 180_000);

const ARGO = 'gitops:\n  argocd: { repoURL: "https://git.example.com/platform.git" }\n';

describe('slipway CLI with environments', () => {
  it('synth writes the environments and Applications; a re-synth after another spec changes keeps them; diff then says no changes', () => {
    const dir = tempDir('envs');
    const specs = join(dir, 'specs');
    mkdirSync(specs);
    writeFileSync(join(specs, 'shop.yaml'), ENV_SPEC.replace(/^environments:/m, `${ARGO}environments:`));
    writeFileSync(join(specs, 'other.yaml'), 'name: other\nversion: 1.0.0\nimage: { repository: acme/other }\n');
    const out = join(dir, 'out');
    expect(slipway(['synth', specs, '-o', out]).status).toBe(0);
    const first = readTree(out);
    for (const p of ['dev/shop/manifests/shop.k8s.yaml', 'prod/shop/manifests/shop.k8s.yaml', 'shop/chart/shop/values-staging.yaml', 'argocd/prod/shop.yaml']) expect(first.has(p), p).toBe(true);

    writeFileSync(join(specs, 'other.yaml'), 'name: other\nversion: 1.0.1\nimage: { repository: acme/other }\n');
    expect(slipway(['synth', specs, '-o', out]).status).toBe(0);
    const second = readTree(out);
    for (const [p, text] of first) if (!p.startsWith('other/') && !p.startsWith('.slipway-state')) expect(second.get(p), p).toBe(text);
    const d = slipway(['diff', specs, '-o', out]);
    expect(d.stdout).toMatch(/no changes/);
    expect(d.status).toBe(0);
  });

  it('--stdout prints the base manifests only (one copy of each object)', () => {
    const dir = tempDir('envs-stdout');
    writeFileSync(join(dir, 'shop.yaml'), ENV_SPEC);
    const r = slipway(['synth', join(dir, 'shop.yaml'), '--stdout']);
    expect(r.status).toBe(0);
    const kinds = parseAllDocuments(r.stdout).map((d) => d.toJS()).map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds).toContain('Deployment/shop');
  });

  it('validate reports a bad override with file:line and the base field, exit 1 or 2, nothing written', () => {
    const dir = tempDir('envs-bad');
    writeFileSync(join(dir, 'web.yaml'), 'name: web\nversion: 1.0.0\nimage: { repository: acme/web }\nenvironments:\n  prod:\n    autoscaling: { minReplicas: 5, maxReplicas: 3 }\n');
    const r = slipway(['synth', dir, '-o', join(dir, 'out')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/web\.yaml:6:\d+: environments\.prod\.autoscaling\.minReplicas: \(5\) is greater than maxReplicas \(3\) \(environment "prod" changes `autoscaling\.minReplicas`\)/);
    expect(readTree(dir).size).toBe(1);
  });

  it('validate finds what synth would refuse: an override that changes the chart\'s structure', () => {
    const dir = tempDir('envs-validate');
    writeFileSync(join(dir, 'web.yaml'), 'name: web\nversion: 1.0.0\nimage: { repository: acme/web }\nenvironments:\n  dev:\n    replicas: 1\n');
    const v = slipway(['validate', dir]);
    expect(v.status).toBe(1);
    expect(v.stderr + v.stdout).toMatch(/web\.yaml:6:\d+: environments\.dev: changes the chart's structure \(templates\/deployment\.yaml\)/);
    const s = slipway(['synth', dir, '-o', join(dir, 'out')]);
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(/web\.yaml:6:\d+: environments\.dev: changes the chart's structure/);
  });
});
