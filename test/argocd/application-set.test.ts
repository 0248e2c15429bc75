/**
 * `gitops.argocd.applicationSet: true`: one ApplicationSet per service instead of one Application
 * file per environment, strictly valid against Argo CD's ApplicationSet CRD (test/crds), whose
 * list elements carry every value that comes from the spec while the template holds only
 * constants and `{{ .key }}` references. That Argo CD's controller generates from it exactly the
 * Applications written without the option is asserted with Argo CD's own code in
 * repo-server.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadSpecText } from '../../src/spec/load';
import { synthFiles } from '../../src/app/synth';
import { validateCustomResource } from '../support/crd-schema';
import { ENV_SPEC } from '../environments/fixture';

const ARGO = 'gitops:\n  argocd: { repoURL: "https://git.example.com/platform.git", targetRevision: main, project: shop, applicationSet: true }\n';
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());
const withArgo = (spec: string, argo = ARGO) => spec.replace(/^environments:/m, `${argo}environments:`);
const argoFiles = (files: Map<string, string>) => [...files.keys()].filter((p) => p.startsWith('argocd/'));

/** Every string of a value, recursively. */
const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : []);

describe('ApplicationSet (gitops.argocd.applicationSet)', () => {
  const files = synthFiles(loadSpecText(withArgo(ENV_SPEC), 'shop.yaml'));
  const [set] = docs(files.get('argocd/shop.yaml')!);
  const plain = synthFiles(loadSpecText(withArgo(ENV_SPEC, ARGO.replace(', applicationSet: true', '')), 'shop.yaml'));
  const apps = argoFiles(plain).sort().flatMap((p) => docs(plain.get(p)!));

  it('replaces the per-environment Application files with one file', () => {
    expect(argoFiles(files)).toEqual(['argocd/shop.yaml']);
    expect(set.kind).toBe('ApplicationSet');
    expect(set.metadata).toEqual({ name: 'shop', namespace: 'argocd', labels: { 'app.kubernetes.io/name': 'shop', 'app.kubernetes.io/instance': 'shop', 'app.kubernetes.io/managed-by': 'slipway' } });
  });

  it('is strictly valid against the ApplicationSet CRD', () => {
    expect(validateCustomResource(set)).toEqual([]);
  });

  it('one list element per environment and cluster, holding what the Application of each has', () => {
    const elements = set.spec.generators[0].list.elements;
    expect(elements.map((e: any) => e.name)).toEqual(['shop-dev', 'shop-staging', 'shop-prod-eu-1', 'shop-prod-us-1']);
    for (const e of elements) {
      const app = apps.find((a) => a.metadata.name === e.name)!;
      expect(e).toEqual({ name: app.metadata.name, labels: app.metadata.labels, project: 'shop', source: app.spec.source, destination: app.spec.destination, podSecurity: 'restricted' });
    }
  });

  it('Go templates that fail on a missing key; resources kept when the set is deleted (no finalizer, as the Applications)', () => {
    expect(set.spec.goTemplate).toBe(true);
    expect(set.spec.goTemplateOptions).toEqual(['missingkey=error']);
    expect(set.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    expect(set.spec.template.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
    expect(set.spec.template.spec.ignoreDifferences).toEqual(apps[0].spec.ignoreDifferences);
  });

  it('the template holds no value from the spec: only constants and {{ .key }} references', () => {
    const hostile = 'main{{ .name }}" }\n  evil: {{ .project }}';
    const text = withArgo(ENV_SPEC, ARGO.replace('targetRevision: main', `targetRevision: ${JSON.stringify(hostile)}`));
    const out = synthFiles(loadSpecText(text, 'shop.yaml'));
    const [s] = docs(out.get('argocd/shop.yaml')!);
    expect(validateCustomResource(s)).toEqual([]);
    const template = strings(s.spec.template).concat(s.spec.templatePatch);
    for (const t of template) expect(t).not.toContain('main');
    for (const t of strings(s.spec.template)) for (const ref of t.match(/\{\{.*?\}\}/g) ?? []) expect(ref).toMatch(/^\{\{ \.[a-zA-Z.]+ \}\}$/);
    expect(s.spec.generators[0].list.elements.map((e: any) => e.source.targetRevision)).toEqual(Array(4).fill(hostile));
  });

  it('without environments: one element, the chart\'s default values', () => {
    const out = synthFiles(loadSpecText(`name: web\nversion: 1.0.0\nimage: { repository: acme/web }\n${ARGO}`, 'web.yaml'));
    const [s] = docs(out.get('argocd/web.yaml')!);
    expect(s.spec.generators[0].list.elements).toEqual([{ name: 'web', labels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/managed-by': 'slipway' }, project: 'shop', source: { repoURL: 'https://git.example.com/platform.git', targetRevision: 'main', path: 'dist/web/chart/web', helm: { releaseName: 'web' } }, destination: { server: 'https://kubernetes.default.svc', namespace: 'web' }, podSecurity: 'restricted' }]);
    expect(s.spec.template.spec.ignoreDifferences).toBeUndefined();
    expect(validateCustomResource(s)).toEqual([]);
  });

  it('deterministic: same input, same bytes', () => {
    expect(synthFiles(loadSpecText(withArgo(ENV_SPEC), 'shop.yaml')).get('argocd/shop.yaml')).toBe(files.get('argocd/shop.yaml'));
  });

  it('refuses a non-boolean applicationSet with a located error', () => {
    expect(() => loadSpecText(`name: web\nversion: 1.0.0\nimage: { repository: acme/web }\ngitops:\n  argocd: { repoURL: x, applicationSet: "yes" }\n`, 'web.yaml')).toThrow(/web\.yaml:5:\d+: gitops\.argocd\.applicationSet/);
  });
});
