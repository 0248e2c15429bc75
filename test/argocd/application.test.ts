/**
 * Argo CD Applications (gitops.argocd): one per service × environment × cluster, strictly valid
 * against the Application CRD (../shared/crds/argoproj.io_applications.yaml, unknown fields are
 * errors), pointing at paths the same synth writes, with the Pod Security labels the pods need.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadSpecText } from '../../src/spec/load';
import { synthFiles } from '../../src/app/synth';
import { SpecError } from '../../src/spec/errors';
import { validateCustomResource } from '../support/crd-schema';
import { ENV_SPEC } from '../environments/fixture';

const ARGO = 'gitops:\n  argocd: { repoURL: "https://git.example.com/platform.git", targetRevision: main, project: shop }\n';
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());
const withArgo = (spec: string, argo = ARGO) => spec.replace(/^environments:/m, `${argo}environments:`);

describe('Argo CD Applications', () => {
  const files = synthFiles(loadSpecText(withArgo(ENV_SPEC), 'shop.yaml'));
  const apps = [...files].filter(([p]) => p.startsWith('argocd/')).flatMap(([p, t]) => docs(t).map((o) => ({ file: p, o })));

  it('one per environment and cluster, in argocd/<env>/<fullname>.yaml', () => {
    expect(apps.map((a) => `${a.file} ${a.o.metadata.name}`)).toEqual([
      'argocd/dev/shop.yaml shop-dev',
      'argocd/prod/shop.yaml shop-prod-eu-1',
      'argocd/prod/shop.yaml shop-prod-us-1',
      'argocd/staging/shop.yaml shop-staging',
    ]);
  });

  it('each is strictly valid against the Application CRD', () => {
    for (const { o } of apps) expect(validateCustomResource(o)).toEqual([]);
  });

  it('points at the chart with the environment\'s values file, which the same synth writes', () => {
    for (const { o } of apps) {
      const env = o.metadata.labels['slipway.dev/environment'];
      expect(o.spec.source).toEqual({ repoURL: 'https://git.example.com/platform.git', targetRevision: 'main', path: 'dist/shop/chart/shop', helm: { releaseName: 'shop', valueFiles: [`values-${env}.yaml`] } });
      expect(files.has(`shop/chart/shop/values-${env}.yaml`)).toBe(true);
      expect(o.spec.project).toBe('shop');
      expect(o.metadata.namespace).toBe('argocd');
    }
  });

  it('destination: server URL, Argo CD cluster name, or the in-cluster server; the environment\'s namespace', () => {
    const by = Object.fromEntries(apps.map((a) => [a.o.metadata.name, a.o.spec.destination]));
    expect(by['shop-dev']).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'dev' });
    expect(by['shop-staging']).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'shop-staging' });
    expect(by['shop-prod-eu-1']).toEqual({ server: 'https://eu-1.k8s.example.com', namespace: 'prod' });
    expect(by['shop-prod-us-1']).toEqual({ name: 'us-1', namespace: 'prod' });
  });

  it('sync: CreateNamespace and ServerSideApply, PSS restricted namespace labels, manual unless automated is asked for', () => {
    for (const { o } of apps) {
      expect(o.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
      expect(o.spec.syncPolicy.automated).toBeUndefined();
      expect(o.spec.syncPolicy.managedNamespaceMetadata.labels).toEqual({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' });
    }
    const auto = synthFiles(loadSpecText(withArgo(ENV_SPEC, ARGO.replace('project: shop', 'project: shop, automated: { prune: true, selfHeal: true }')), 'shop.yaml'));
    const dev = docs(auto.get('argocd/dev/shop.yaml')!)[0];
    expect(dev.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(validateCustomResource(dev)).toEqual([]);
  });

  it('ignoreDifferences only for the fields an ExternalSecret\'s CRD defaults, and only when there is one', () => {
    for (const { o } of apps) expect(o.spec.ignoreDifferences).toEqual([{ group: 'external-secrets.io', kind: 'ExternalSecret', jqPathExpressions: ['.spec.target.deletionPolicy'] }]);
    const plain = synthFiles(loadSpecText(`name: web\nversion: 1.0.0\nimage: { repository: acme/web }\n${ARGO}`, 'web.yaml'));
    const app = docs(plain.get('argocd/web.yaml')!)[0];
    expect(app.spec.ignoreDifferences).toBeUndefined();
    expect(app.metadata.name).toBe('web');
    expect(app.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'web' });
    expect(app.spec.source.helm).toEqual({ releaseName: 'web' });
    expect(validateCustomResource(app)).toEqual([]);
  });

  it('source: manifests points at the environment\'s manifests directory', () => {
    const out = synthFiles(loadSpecText(withArgo(ENV_SPEC, ARGO.replace('project: shop', 'project: shop, source: manifests, path: deploy/out')), 'shop.yaml'));
    const dev = docs(out.get('argocd/dev/shop.yaml')!)[0];
    expect(dev.spec.source).toEqual({ repoURL: 'https://git.example.com/platform.git', targetRevision: 'main', path: 'deploy/out/dev/shop/manifests', directory: { recurse: false } });
    expect(out.has('dev/shop/manifests/shop.k8s.yaml')).toBe(true);
    expect(validateCustomResource(dev)).toEqual([]);
  });

  it('a node agent with a hostPath exception gets a privileged namespace', () => {
    const spec = `name: agent\nversion: 1.0.0\nimage: { repository: acme/agent }\nworkload: { kind: DaemonSet }\nhostPaths: [{ path: /var/log, readOnly: true }]\nsecurity:\n  exceptions: [{ name: read-node-logs, allow: [hostPath], reason: ships node logs }]\n${ARGO}environments:\n  prod: {}\n`;
    const app = docs(synthFiles(loadSpecText(spec, 'agent.yaml')).get('argocd/prod/agent.yaml')!)[0];
    expect(app.spec.syncPolicy.managedNamespaceMetadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  it('refuses an environment named like a service of the run, and a service named argocd', () => {
    const a = loadSpecText(`name: dev\nversion: 1.0.0\nimage: { repository: acme/dev }\n`, 'dev.yaml');
    const b = loadSpecText(withArgo(ENV_SPEC), 'shop.yaml');
    expect(() => synthFiles([...a, ...b])).toThrow(/environment "dev" has the name of a service of this run/);
    const c = loadSpecText(`name: argocd\nversion: 1.0.0\nimage: { repository: acme/a }\n${ARGO}`, 'a.yaml');
    expect(() => synthFiles(c)).toThrow(SpecError);
  });

  it('refuses unknown argocd fields with a located error', () => {
    expect(() => loadSpecText(`name: web\nversion: 1.0.0\nimage: { repository: acme/web }\ngitops:\n  argocd: { repoURL: x, projekt: a }\n`, 'web.yaml')).toThrow(/web\.yaml:5:\d+: gitops\.argocd\.projekt: unknown field; did you mean "project"\?/);
  });
});
