/**
 * The examples of the variant stories, synthesized as `cdk8s synth` does (every file of examples/
 * in one run, sidecars linked to their hosts): GopherShip as a DaemonSet and as a native sidecar,
 * Cloud Optimizer (migrations, AWS Secrets Manager), ollama-openai-proxy (metrics, probes).
 */
import { describe, expect, it } from 'vitest';
import { loadSpecFile } from '../../src/spec/load';
import { linkServices } from '../../src/app/link';
import { specFilesIn, synthFiles } from '../../src/app/synth';
import { renderManifestObjects } from '../../src/app/manifests';
import { EXAMPLES } from '../support/examples';
import { restrictedViolations, podSpecOf, tokenChosen } from '../support/pss';
import { hasCrd } from '../support/crd-schema';
import { find, schemaErrors } from './helpers';

const services = linkServices(specFilesIn(EXAMPLES).flatMap(loadSpecFile));
const objectsOf = (fullname: string) => renderManifestObjects(services.find((s) => s.model.fullname === fullname)!.model);

describe('examples, linked as in a synth run', () => {
  for (const svc of services) {
    const objects = renderManifestObjects(svc.model);
    it(`${svc.model.fullname}: core objects validate against Kubernetes 1.28 and custom resources against their CRDs, strictly`, () => {
      expect(schemaErrors(objects)).toEqual([]);
    });
    it(`${svc.model.fullname}: every pod is restricted unless a named exception is annotated`, () => {
      for (const o of objects) {
        const pod = podSpecOf(o);
        if (!pod) continue;
        const annotations = o.spec.template?.metadata?.annotations ?? o.spec.jobTemplate?.spec?.template?.metadata?.annotations ?? {};
        const excepted = Object.keys(annotations).some((k) => k.startsWith('slipway.dev/security-exception.'));
        if (!excepted) expect(restrictedViolations(pod, `${o.kind}/${o.metadata.name}`, { tokenChosen: tokenChosen(o) })).toEqual([]);
      }
    });
  }

  it('have custom resources of each imported CRD', () => {
    const kinds = new Set(services.flatMap((s) => renderManifestObjects(s.model)).filter(hasCrd).map((o) => o.kind));
    expect([...kinds].sort()).toEqual(['ExternalSecret', 'ServiceMonitor']);
  });

  it('synthesize byte-identically twice', () => {
    const a = synthFiles(specFilesIn(EXAMPLES).flatMap(loadSpecFile));
    const b = synthFiles(specFilesIn(EXAMPLES).flatMap(loadSpecFile));
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [k, v] of a) expect(b.get(k), k).toBe(v);
    expect([...a.keys()]).toEqual(expect.arrayContaining(['gophership/manifests/gophership.k8s.yaml', 'shipyard/manifests/shipyard.k8s.yaml']));
    // The attached sidecar's objects are in shipyard's manifests.
    expect([...a.keys()]).not.toContain('gophership-sidecar/manifests/gophership-sidecar.k8s.yaml');
  });
});

describe('GopherShip (seed 000)', () => {
  it('as a DaemonSet: gRPC health probes on 50051, node logs by a named opt-out, node-critical on every Linux node', () => {
    const objects = objectsOf('gophership');
    const ds = find(objects, 'DaemonSet');
    const pod = ds.spec.template.spec;
    const c = pod.containers[0];
    for (const p of ['startupProbe', 'livenessProbe', 'readinessProbe']) expect(c[p].grpc).toEqual({ port: 50051 });
    expect(c.volumeMounts).toContainEqual({ name: 'host-var-log', mountPath: '/var/log', readOnly: true });
    expect(Object.keys(ds.spec.template.metadata.annotations)).toEqual(expect.arrayContaining([
      'slipway.dev/security-exception.read-node-logs', 'slipway.dev/security-exception.root-log-reader', 'prometheus.io/scrape',
    ]));
    expect(ds.spec.template.metadata.annotations['slipway.dev/pod-security-level']).toBe('privileged');
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.tolerations).toHaveLength(2);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
    expect(objects.map((o) => o.kind)).not.toContain('Service');
  });

  it('as a native sidecar of shipyard: started (gRPC startup probe) before the app, sharing its log directory', () => {
    const pod = find(objectsOf('shipyard'), 'Deployment').spec.template.spec;
    expect(pod.initContainers.map((c: any) => [c.name, c.restartPolicy, c.image])).toEqual([['gophership', 'Always', 'ghcr.io/gophership/gophership:0.6.3']]);
    expect(pod.initContainers[0].startupProbe.grpc).toEqual({ port: 50051 });
    expect(pod.initContainers[0].envFrom).toEqual([{ configMapRef: { name: 'shipyard-gophership-env' } }]);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'app-logs', mountPath: '/var/log/shipyard' });
    expect(pod.initContainers[0].volumeMounts).toContainEqual({ name: 'app-logs', mountPath: '/var/log/shipyard' });
    expect(find(objectsOf('shipyard'), 'ConfigMap', 'shipyard-gophership-env').data.GOPHERSHIP_SERVICE).toBe('shipyard');
    expect(objectsOf('gophership-sidecar')).toEqual([]);
  });
});

describe('Cloud Optimizer (seed 002)', () => {
  const objects = objectsOf('cloud-optimizer');
  it('migrates the database before each rollout with the app\'s image and secrets', () => {
    const job = find(objects, 'Job');
    expect(job.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PreSync');
    const c = job.spec.template.spec.containers[0];
    expect(c.command).toEqual(['alembic', 'upgrade', 'head']);
    expect(c.image).toBe(find(objects, 'Deployment').spec.template.spec.containers[0].image);
    expect(c.env.map((e: any) => e.name)).toEqual(['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET_KEY', 'ANTHROPIC_API_KEY']);
  });
  it('reads every secret from AWS Secrets Manager through an ExternalSecret, and rolls when it changes', () => {
    const es = find(objects, 'ExternalSecret', 'cloud-optimizer-app');
    expect(es.spec.secretStoreRef).toEqual({ name: 'aws-secrets-manager', kind: 'ClusterSecretStore' });
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    expect(find(objects, 'Deployment').spec.template.metadata.annotations['checksum/secret-app']).toMatch(/^[0-9a-f]{64}$/);
  });
  it('is ready only when /health (DB + IB) answers', () => {
    expect(find(objects, 'Deployment').spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe('/health');
  });
});

describe('ollama-openai-proxy (seed 001)', () => {
  const objects = objectsOf('ollama-openai-proxy');
  it('is scraped at /metrics by a ServiceMonitor and probed at /live, /ready and /health', () => {
    const sm = find(objects, 'ServiceMonitor');
    expect(sm.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
    const c = find(objects, 'Deployment').spec.template.spec.containers[0];
    expect([c.livenessProbe.httpGet.path, c.readinessProbe.httpGet.path, c.startupProbe.httpGet.path]).toEqual(['/live', '/ready', '/health']);
    expect(find(objects, 'HTTPRoute')).toBeUndefined();
  });
});
