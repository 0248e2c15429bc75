/**
 * Environments: overrides render to dist/<env>/<fullname>/manifests and to the chart's
 * values-<env>.yaml, and `helm template -f values-<env>.yaml` (real helm 3 and 4) yields exactly
 * that environment's manifests. Bad overrides are located (file:line) and name the base field.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { loadSpecText } from '../../src/spec/load';
import { synthFiles } from '../../src/app/synth';
import { SpecError } from '../../src/spec/errors';
import { helm, helmBinaries } from '../support/helm';
import { byKindName, parseStream, template } from '../chart/fixture';
import { ENV_SPEC } from './fixture';

const files = synthFiles(loadSpecText(ENV_SPEC, 'shop.yaml'));

/** Writes the synth output to a fresh directory; returns it. */
function writeOut(out: ReadonlyMap<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-envs-'));
  for (const [rel, text] of out) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/** The findings of loading and synthesizing a spec, as `line: path: message`. */
function problems(text: string): string[] {
  try {
    synthFiles(loadSpecText(text, 'svc.yaml'));
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return e.findings.map((f) => `${f.line}: ${f.path}: ${f.message}`);
  }
  return [];
}

describe('environments: layout', () => {
  it('writes each environment\'s manifests under <env>/<fullname>/ and a values file per environment instead of the fixed overlays', () => {
    const keys = [...files.keys()];
    expect(keys.filter((k) => k.endsWith('.k8s.yaml'))).toEqual(['dev/shop/manifests/shop.k8s.yaml', 'prod/shop/manifests/shop.k8s.yaml', 'shop/manifests/shop.k8s.yaml', 'staging/shop/manifests/shop.k8s.yaml']);
    expect(keys.filter((k) => /values-[a-z]+\.yaml$/.test(k))).toEqual(['shop/chart/shop/values-dev.yaml', 'shop/chart/shop/values-prod.yaml', 'shop/chart/shop/values-staging.yaml']);
    expect(files.get('shop/chart/shop/README.md')).toContain('values-staging.yaml');
  });

  it('an overlay holds only what its environment changes', () => {
    const dev = parse(files.get('shop/chart/shop/values-dev.yaml')!);
    expect(dev.config).toEqual({ env: { LOG_LEVEL: 'debug', FEATURE_X: 'on' } });
    expect(dev.image).toEqual({ tag: '2.1.0-rc.1' });
    expect(dev.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } });
    expect(dev.ingress.tls).toEqual([]);
    expect(dev.secrets).toBeUndefined();
    const prod = parse(files.get('shop/chart/shop/values-prod.yaml')!);
    expect(prod.autoscaling).toEqual({ enabled: true, minReplicas: 3, maxReplicas: 12, targetCPUUtilizationPercentage: 70 });
    expect(prod.secrets.db).toEqual({ store: 'aws-prod' });
  });

  it('the environment manifests carry the overrides', () => {
    const prod = byKindName(parseStream(files.get('prod/shop/manifests/shop.k8s.yaml')!));
    expect(prod['HorizontalPodAutoscaler/shop'].spec).toMatchObject({ minReplicas: 3, maxReplicas: 12 });
    expect(prod['ExternalSecret/shop-db'].spec.secretStoreRef).toEqual({ name: 'aws-prod', kind: 'SecretStore' });
    const staging = byKindName(parseStream(files.get('staging/shop/manifests/shop.k8s.yaml')!));
    expect(staging['Deployment/shop'].spec.replicas).toBe(3);
    expect(staging['Ingress/shop'].spec.rules[0].host).toBe('shop.staging.example.com');
    expect(staging['ExternalSecret/shop-db'].spec.secretStoreRef).toEqual({ name: 'aws-staging', kind: 'ClusterSecretStore' });
  });

  it('is deterministic', () => {
    expect(synthFiles(loadSpecText(ENV_SPEC, 'shop.yaml'))).toEqual(files);
  });

  it('without environments the layout is today\'s (fixed values-dev/values-prod overlays)', () => {
    const plain = [...synthFiles(loadSpecText('name: a\nversion: 1.0.0\nimage: { repository: x/a }\n', 'a.yaml')).keys()];
    expect(plain.filter((k) => !k.startsWith('a/'))).toEqual([]);
    expect(plain).toEqual(expect.arrayContaining(['a/chart/a/values-dev.yaml', 'a/chart/a/values-prod.yaml']));
  });
});

describe.each(helmBinaries())('environments: chart ≡ manifests per environment ($name)', (bin) => {
  const dir = writeOut(files);
  for (const env of ['dev', 'staging', 'prod']) {
    it(`helm template shop -f values-${env}.yaml yields dist/${env}/shop/manifests`, () => {
      const chart = join(dir, 'shop/chart/shop');
      const rendered = byKindName(template(bin, 'shop', chart, ['-f', join(chart, `values-${env}.yaml`)]));
      const expected = byKindName(parseStream(files.get(`${env}/shop/manifests/shop.k8s.yaml`)!));
      expect(Object.keys(rendered).sort()).toEqual(Object.keys(expected).sort());
      for (const key of Object.keys(expected)) expect(rendered[key], key).toEqual(expected[key]);
    });

    it(`helm lint --strict -f values-${env}.yaml passes`, () => {
      const chart = join(dir, 'shop/chart/shop');
      const r = helm(bin, ['lint', '--strict', chart, '-f', join(chart, `values-${env}.yaml`)]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    });
  }
});

const BASE = 'name: web\nversion: 1.0.0\nimage: { repository: acme/web }\nports: [{ name: http, containerPort: 8080 }]\n';

describe('environments: bad overrides are located and name the base field', () => {
  const cases: [string, string, RegExp][] = [
    ['unknown override key', `${BASE}environments:\n  dev:\n    replica: 1\n`, /^7: environments\.dev\.replica: unknown field; did you mean "replicas"\?/],
    ['ingress without a base ingress', `${BASE}environments:\n  dev:\n    ingress: { hosts: [{ host: a.example.com }] }\n`, /^7: environments\.dev\.ingress: changes `ingress`, which the base spec does not declare/],
    ['env without a base config.env', `${BASE}environments:\n  dev:\n    env: { A: b }\n`, /^7: environments\.dev\.env: adds to `config\.env`/],
    ['secretStore without an external secret', `${BASE}environments:\n  dev:\n    secretStore: { name: s }\n`, /^7: environments\.dev\.secretStore: changes the store/],
    ['bad environment name', `${BASE}environments:\n  Dev: {}\n`, /^6: environments\.Dev: environment name must be lower-case/],
    ['reserved environment name', `${BASE}environments:\n  argocd: {}\n`, /^6: environments\.argocd: environment name "argocd" is reserved/],
    ['replicas and autoscaling together', `${BASE}environments:\n  dev:\n    replicas: 2\n    autoscaling: { maxReplicas: 3 }\n`, /^7: environments\.dev\.replicas: is fixed while `autoscaling` is set/],
    ['autoscaling min > max', `${BASE}environments:\n  prod:\n    autoscaling: { minReplicas: 5, maxReplicas: 3 }\n`, /^7: environments\.prod\.autoscaling\.minReplicas: \(5\) is greater than maxReplicas \(3\) \(environment "prod" changes `autoscaling\.minReplicas`\)/],
    ['bad ingress host', `${BASE}ingress: { hosts: [{ host: a.example.com }] }\nenvironments:\n  dev:\n    ingress: { hosts: [{ host: "Bad_Host" }] }\n`, /^8: environments\.dev\.ingress\.hosts\[0\]\.host: .*\(environment "dev" changes `ingress\.hosts\[0\]\.host`\)/],
    ['replicas on a DaemonSet', `${BASE}workload: { kind: DaemonSet }\nenvironments:\n  dev:\n    replicas: 2\n`, /^8: environments\.dev\.replicas: does not apply to a DaemonSet: remove it \(environment "dev" changes `replicas`\)/],
    ['a change of the chart\'s structure', `${BASE}environments:\n  dev:\n    replicas: 1\n`, /^7: environments\.dev: changes the chart's structure \(templates\/deployment\.yaml\).*below 2/],
    ['duplicate cluster', `${BASE}environments:\n  dev:\n    clusters: [{ name: a }, { name: a }]\n`, /^7: environments\.dev\.clusters\[1\]\.name: "a" is listed twice/],
    ['cluster server not https', `${BASE}environments:\n  dev:\n    clusters: [{ name: a, server: "http://x" }]\n`, /^7: environments\.dev\.clusters\[0\]\.server: must be the cluster API server URL/],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    const found = problems(text);
    expect(found.length, found.join('\n')).toBeGreaterThan(0);
    expect(found.some((f) => expected.test(f)), found.join('\n')).toBe(true);
  });

  it('x- top-level fields and YAML aliases are accepted; x- fields do not change the output; merge keys are not (YAML 1.2)', () => {
    const withX = synthFiles(loadSpecText(`x-team: { owner: payments }\nx-r: &r 3\n${BASE}environments:\n  dev: { replicas: *r }\n`, 'web.yaml'));
    const without = synthFiles(loadSpecText(`${BASE}environments:\n  dev: { replicas: 3 }\n`, 'web.yaml'));
    expect(withX).toEqual(without);
    expect(problems(`${BASE}y-team: 1\n`)[0]).toMatch(/y-team: unknown field/);
    expect(problems(`${BASE}x-d: &d { replicas: 3 }\nenvironments:\n  dev: { <<: *d }\n`)[0]).toMatch(/^7: environments\.dev\["<<"\]: unknown field/);
  });
});

describe('environments in a cdk8s app (library)', () => {
  it('environmentProps(spec, env) gives the props of one environment: a SlipwayService renders its manifests', async () => {
    const { App, Chart } = await import('cdk8s');
    const { SlipwayService, environmentProps } = await import('../../src');
    const spec = loadSpecText(ENV_SPEC, 'shop.yaml')[0].spec;
    const chart = new Chart(new App(), 'prod');
    new SlipwayService(chart, 'shop', environmentProps(spec, 'prod'));
    expect(byKindName(chart.toJson())).toEqual(byKindName(parseStream(files.get('prod/shop/manifests/shop.k8s.yaml')!)));
    expect(() => environmentProps(spec, 'qa', 'app/shop')).toThrow('app/shop: environments: has no environment "qa" (declared: dev, staging, prod)');
  });
});
