/**
 * The closest real Argo CD this machine can run: the generated Applications are applied to the
 * real kube-apiserver with Argo CD's Application CRD installed (server-side apply,
 * fieldValidation=Strict, so an unknown or mistyped field is refused by the API server's own
 * structural schema), and each environment's manifests are applied (server-side dry-run, strict)
 * into a namespace labelled exactly as the Application's managedNamespaceMetadata says, which is
 * what Argo CD does with CreateNamespace=true. The ApplicationSet variant (`applicationSet: true`)
 * is applied the same way with Argo CD's ApplicationSet CRD (test/crds). Argo CD's own manifest and
 * ApplicationSet generation run in test/argocd/repo-server.test.ts (scripts/argocd-render).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadSpecText } from '../../src/spec/load';
import { synthFiles } from '../../src/app/synth';
import { ENV_SPEC } from '../environments/fixture';
import { kube, nsName } from './support/env';
import { format, kubeconform } from './support/checkers';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ARGO = 'gitops:\n  argocd: { repoURL: "https://git.example.com/platform.git", targetRevision: main, project: default }\n';
const files = synthFiles(loadSpecText(ENV_SPEC.replace(/^environments:/m, `${ARGO}environments:`), 'shop.yaml'));
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS());

/**
 * Paths of the values Slipway wrote that the API server returns changed (a perpetual Argo CD diff).
 * A zero value the server omits (`initialDelaySeconds: 0`, an omitempty field) is no change: Argo CD
 * remarshals the desired object through the typed API first, which drops it too.
 */
function changedPaths(desired: any, live: any, at = ''): string[] {
  if (live === undefined && (desired === 0 || desired === false || desired === '')) return [];
  if (desired && typeof desired === 'object') {
    if (!live || typeof live !== 'object') return [at];
    return Object.keys(desired).flatMap((k) => changedPaths(desired[k], live[k], Array.isArray(desired) ? `${at}[${k}]` : `${at}.${k}`));
  }
  return desired === live ? [] : [at];
}

/** Paths the API server added (defaulted), list indices as jq's `[]?`, as ignoreDifferences names them. */
function addedPaths(desired: any, live: any, at = ''): string[] {
  if (!live || typeof live !== 'object' || !desired || typeof desired !== 'object') return [];
  if (Array.isArray(live)) return live.flatMap((l, i) => addedPaths(desired[i], l, `${at}[]?`));
  return Object.keys(live).flatMap((k) => (k in desired ? addedPaths(desired[k], live[k], `${at}.${k}`) : [`${at}.${k}`]));
}
const apps = [...files].filter(([p]) => p.startsWith('argocd/')).flatMap(([, t]) => docs(t));
const setFiles = synthFiles(loadSpecText(ENV_SPEC.replace(/^environments:/m, `${ARGO.replace('project: default', 'project: default, applicationSet: true')}environments:`), 'shop.yaml'));
const [applicationSet] = docs(setFiles.get('argocd/shop.yaml')!);

describe('Argo CD Applications on a real API server with the Application CRD', () => {
  const argoNs = nsName('argocd', 'apps');
  const created: string[] = [argoNs];
  beforeAll(async () => {
    await kube.installCrds();
    await kube.createNamespace(argoNs, 'restricted');
  });
  afterAll(async () => { for (const ns of created) await kube.deleteNamespace(ns); });

  it('every Application is accepted by a strict server-side apply, and reads back as written', async () => {
    const items = apps.map((a) => ({ ...a, metadata: { ...a.metadata, namespace: argoNs } }));
    const r = await kube.kubectl(['apply', '-n', argoNs, '--server-side', '--field-manager=slipway-argocd', '--validate=strict', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => /warning/i.test(l))).toEqual([]);
    for (const a of items) {
      const back = await kube.getJson(['applications.argoproj.io', a.metadata.name, '-n', argoNs]);
      expect((back as any).spec).toEqual(a.spec);
    }
  });

  it('the ApplicationSet is accepted by a strict server-side apply with its CRD, and reads back as written', async () => {
    expect(applicationSet.kind).toBe('ApplicationSet');
    const item = { ...applicationSet, metadata: { ...applicationSet.metadata, namespace: argoNs } };
    const r = await kube.kubectl(['apply', '-n', argoNs, '--server-side', '--field-manager=slipway-argocd', '--validate=strict', '-f', '-'], JSON.stringify(item));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => /warning/i.test(l))).toEqual([]);
    const back = await kube.getJson(['applicationsets.argoproj.io', item.metadata.name, '-n', argoNs]);
    expect((back as any).spec).toEqual(item.spec);
  });

  it('an unknown field in the ApplicationSet is refused by the API server (the CRD is strict)', async () => {
    const bad = { ...applicationSet, metadata: { ...applicationSet.metadata, name: 'shop-bad', namespace: argoNs }, spec: { ...applicationSet.spec, generator: [] } };
    const r = await kube.kubectl(['apply', '-n', argoNs, '--server-side', '--field-manager=slipway-argocd', '--validate=strict', '--dry-run=server', '-f', '-'], JSON.stringify(bad));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/\.spec\.generator: field not declared in schema/);
  });

  it('kubeconform -strict with the CRD-derived Application and ApplicationSet schemas: no findings', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'slipway-argocd-')), 'applications.yaml');
    writeFileSync(file, [...files, ...setFiles].filter(([p]) => p.startsWith('argocd/')).map(([, t]) => t).join('---\n'));
    expect((await kubeconform(file, apps.length + 1)).map(format)).toEqual([]);
  });

  for (const env of ['dev', 'staging', 'prod']) {
    it(`${env}: the manifests are accepted in a namespace labelled as the Application's managedNamespaceMetadata says; ignoreDifferences is exactly what the server defaults`, async () => {
      const app = apps.find((a) => a.metadata.labels['slipway.dev/environment'] === env)!;
      const ns = nsName(`argocd-${env}`, 'ns');
      created.push(ns);
      const labels = app.spec.syncPolicy.managedNamespaceMetadata.labels;
      await kube.kubectlOk(['apply', '--server-side', '--field-manager=slipway-argocd', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'slipway.dev/e2e': 'true', ...labels } } }));
      const objects = docs(files.get(`${env}/shop/manifests/shop.k8s.yaml`)!);
      const r = await kube.kubectl(['apply', '-n', ns, '--server-side', '--field-manager=slipway-argocd', '--validate=strict', '--dry-run=server', '-o', 'json', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr.split('\n').filter((l) => /warning/i.test(l)), r.stderr).toEqual([]);
      // ignoreDifferences only where the cluster defaults fields: nothing Slipway writes comes back
      // changed, and the ExternalSecret's defaulted fields are exactly those the Application ignores.
      const live: any[] = JSON.parse(r.stdout).items;
      const ignored = (app.spec.ignoreDifferences ?? []).flatMap((d: any) => d.jqPathExpressions);
      for (const o of objects) {
        const l = live.find((x) => x.kind === o.kind && x.metadata.name === o.metadata.name);
        expect(changedPaths(o, l), `${o.kind}/${o.metadata.name}`).toEqual([]);
        if (o.kind === 'ExternalSecret') expect([...new Set(addedPaths(o.spec, l.spec, '.spec'))].sort()).toEqual([...ignored].sort());
      }
      expect(objects.some((o) => o.kind === 'ExternalSecret')).toBe(ignored.length > 0);
    });
  }
});
