/**
 * `slipway init --kind web|worker|cronjob|statefulset`: each scaffold, as generated, validates with --strict
 * (no warnings), synthesizes, and its manifests and its chart's `helm template` (helm 3 and 4) get
 * zero findings from kubeconform -strict, kube-linter, kube-score and Polaris under the cluster
 * suite's checker configs (test/cluster/checkers/), and the chart renders the manifests' objects.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { buildOnce, slipway, tempDir } from './helpers';
import { format, kubeconform, kubeLinter, kubeScore, polaris } from '../cluster/support/checkers';
import { helm, helmBinaries } from '../support/helm';
import { byKindName } from '../chart/fixture';

beforeAll(() => buildOnce(), 180_000);

const KINDS = { web: 'Deployment', worker: 'Deployment', cronjob: 'CronJob', statefulset: 'StatefulSet' } as const;

const objectsIn = (text: string) => parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);

describe.each(Object.entries(KINDS))('slipway init --kind %s', (kind, workloadKind) => {
  const root = tempDir(`init-${kind}`);
  const dir = join(root, `${kind}-svc`);
  const dist = join(root, 'dist');
  let manifests = '';
  let chart = '';

  beforeAll(() => {
    const r = slipway(['init', dir, '--kind', kind]);
    expect(r.status, r.stderr).toBe(0);
    const s = slipway(['synth', join(dir, 'services'), '-o', dist]);
    expect(s.status, s.stderr).toBe(0);
    manifests = join(dist, `${kind}-svc`, 'manifests', `${kind}-svc.k8s.yaml`);
    chart = join(dist, `${kind}-svc`, 'chart', `${kind}-svc`);
  }, 120_000);

  it('writes a spec of that kind that validates with --strict', () => {
    const spec = parse(readFileSync(join(dir, 'services', `${kind}-svc.yaml`), 'utf8'));
    expect(spec.workload?.kind ?? 'Deployment').toBe(workloadKind);
    if (kind === 'statefulset') expect(spec.workload.statefulSet.volumeClaims.map((c: any) => c.name)).toEqual(['data']);
    if (kind !== 'web' && kind !== 'statefulset') expect(spec.ports).toBeUndefined();
    const v = slipway(['validate', '--strict', join(dir, 'services')]);
    expect(v.status, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toMatch(/0 errors, 0 warnings/);
  });

  it('synthesizes the workload kind', () => {
    expect(readdirSync(join(dist, `${kind}-svc`)).sort()).toContain('manifests');
    expect(objectsIn(readFileSync(manifests, 'utf8')).map((o) => o.kind)).toContain(workloadKind);
  });

  const sources = () => {
    const list: [string, string][] = [['manifests', manifests]];
    for (const bin of helmBinaries().filter((b) => /helm[34]$/.test(b.name))) {
      const r = helm(bin, ['template', `${kind}-svc`, chart, '--kube-version', '1.28.0', '--skip-tests']);
      expect(r.status, r.stderr).toBe(0);
      const file = join(root, `${bin.name}.yaml`);
      writeFileSync(file, r.stdout);
      list.push([bin.name, file]);
    }
    return list;
  };

  it('the chart renders the manifests\' objects (helm 3 and 4)', () => {
    const expected = byKindName(objectsIn(readFileSync(manifests, 'utf8')));
    const rendered = sources().slice(1);
    expect(rendered.length).toBe(2);
    for (const [, file] of rendered) expect(byKindName(objectsIn(readFileSync(file, 'utf8')))).toEqual(expected);
  });

  it('gets zero findings from kubeconform -strict, kube-linter, kube-score and Polaris, on the manifests and on helm template', async () => {
    for (const [label, file] of sources()) {
      const count = objectsIn(readFileSync(file, 'utf8')).length;
      const findings = [
        ...(await kubeconform(file, count)),
        ...(await kubeLinter(file)),
        ...(await kubeScore(file)),
        ...(await polaris(file)),
      ];
      expect(findings.map(format), label).toEqual([]);
    }
  }, 120_000);
});

describe('slipway init --kind: usage errors', () => {
  it('refuses --port for a kind without ports, and an unknown kind', () => {
    const root = tempDir('init-usage');
    const a = slipway(['init', join(root, 'a'), '--kind', 'worker', '--port', '9000']);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/--port applies only to --kind web or statefulset/);
    const b = slipway(['init', join(root, 'b'), '--kind', 'daemon']);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/Allowed choices are web, worker, cronjob, statefulset/);
    expect(readdirSync(root)).toEqual([]);
  });
});
