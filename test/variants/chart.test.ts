/**
 * Chart ≡ manifests for the workload variants: `helm template <instance>` with default values yields
 * exactly the manifests (hooks included: `helm template` renders them), another release name yields
 * that release's manifests, and the variant toggles switch what they say.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceModel } from '../../src/model/types';
import { renderManifestObjects } from '../../src/app/manifests';
import { attachedModel, linkServices } from '../../src/app/link';
import { loadSpecFile, loadSpecText } from '../../src/spec/load';
import { resolveService } from '../../src/model/resolve';
import { EXAMPLES } from '../support/examples';
import { helmBinaries } from '../support/helm';
import { byKindName, template, writeChart, writeValues } from '../chart/fixture';
import { stringify } from 'yaml';
import { find } from './helpers';
import { join } from 'node:path';

const NODE_AGENT = `name: node-exporter
version: 1.8.0
image: { repository: prom/node-exporter }
workload: { kind: DaemonSet, updateStrategy: { maxUnavailable: 3 } }
hostNetwork: true
hostPaths: [{ path: /proc, mountPath: /host/proc }]
ports: [{ name: metrics, containerPort: 9100, hostPort: 9100 }]
health: { http: { path: /, port: metrics }, readiness: { tcp: { port: metrics } } }
metrics: { port: metrics }
tolerations: [{ operator: Exists }]
security:
  exceptions:
    - { name: node-stats, reason: reads the node's /proc and network interfaces, allow: [hostNetwork, hostPort, hostPath] }
`;

const linked = linkServices([
  ...['gophership.yaml', 'gophership-sidecar.yaml', 'cloud-optimizer.yaml', 'ollama-openai-proxy.yaml'].flatMap((f) => loadSpecFile(join(EXAMPLES, f))),
  ...loadSpecText(NODE_AGENT, 'node-agent.yaml'),
]);

/** The model of a linked service with another release name (its sidecars kept). */
function withInstance(m: ServiceModel, spec: object, instance: string): ServiceModel {
  const { model } = resolveService({ ...(spec as any), instance }, { baseDir: EXAMPLES });
  return { ...model!, sidecars: m.sidecars?.map((s) => attachedModel(model!, s)), sidecarOf: m.sidecarOf };
}

const [helm] = helmBinaries();

describe(`chart ≡ manifests for the variants (${helm.name})`, () => {
  for (const svc of linked) {
    const m = svc.model;
    describe(m.fullname, () => {
      const dir = writeChart(m);
      const same = (release: string, model: ServiceModel, args: string[] = []) => {
        const rendered = byKindName(template(helm, release, dir, args));
        const expected = byKindName(renderManifestObjects(model));
        expect(Object.keys(rendered).sort()).toEqual(Object.keys(expected).sort());
        for (const key of Object.keys(expected)) expect(rendered[key], key).toEqual(expected[key]);
      };
      it(`helm template ${m.instance} yields the manifests`, () => same(m.instance, m));
      it('another release yields that release\'s manifests, with no object name in common', () => {
        same(`${m.instance}-b`, withInstance(m, svc.spec, `${m.instance}-b`));
        const first = new Set(template(helm, m.instance, dir).map((o) => o.metadata.name));
        expect(template(helm, `${m.instance}-b`, dir).map((o) => o.metadata.name).filter((n) => first.has(n))).toEqual([]);
      });
    });
  }
});

describe(`variant toggles (${helm.name})`, () => {
  const by = (name: string) => linked.find((s) => s.model.fullname === name)!.model;

  it('httpRoute.enabled renders the HTTPRoute to the Service port', () => {
    const m = by('ollama-openai-proxy');
    const route = find(template(helm, m.instance, writeChart(m), ['--set', 'httpRoute.enabled=true']), 'HTTPRoute');
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'ollama-openai-proxy', port: 8000 }]);
    expect(route.spec.parentRefs).toEqual([{ name: 'public-gateway', namespace: 'gateway-system' }]);
  });

  it('metrics.serviceMonitor.enabled=false swaps the ServiceMonitor for scrape annotations', () => {
    const m = by('ollama-openai-proxy');
    const objects = template(helm, m.instance, writeChart(m), ['--set', 'metrics.serviceMonitor.enabled=false', '--set', 'metrics.path=/m']);
    expect(find(objects, 'ServiceMonitor')).toBeUndefined();
    expect(find(objects, 'Deployment').spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8000', 'prometheus.io/path': '/m' });
  });

  it('migration.enabled=false drops the Job; a new secret version rolls the pods', () => {
    const m = by('cloud-optimizer');
    const dir = writeChart(m);
    expect(find(template(helm, m.instance, dir, ['--set', 'migration.enabled=false']), 'Job')).toBeUndefined();
    const checksum = (args: string[]) => find(template(helm, m.instance, dir, args), 'Deployment').spec.template.metadata.annotations['checksum/secret-app'];
    const data = find(renderManifestObjects(m), 'ExternalSecret').spec.data;
    const same = writeValues('same.yaml', stringify({ secrets: { app: { data } } }));
    data[0].remoteRef.version = 'v2';
    const bumped = writeValues('bumped.yaml', stringify({ secrets: { app: { data } } }));
    expect(checksum(['-f', same])).toBe(checksum([]));
    expect(checksum(['-f', bumped])).not.toBe(checksum([]));
    expect(find(template(helm, m.instance, dir, ['-f', bumped]), 'ExternalSecret', 'cloud-optimizer-app').spec.data[0].remoteRef.version).toBe('v2');
  });

  it('the sidecar image is a value of the host chart', () => {
    const m = by('shipyard');
    const pod = find(template(helm, m.instance, writeChart(m), ['--set', 'sidecars.gophership.image=ghcr.io/gophership/gophership:0.7.0']), 'Deployment').spec.template.spec;
    expect(pod.initContainers[0].image).toBe('ghcr.io/gophership/gophership:0.7.0');
  });
});
