/** Sidecars: a service's container in another workload's pods (same spec set, or your own cdk8s workload). */
import { describe, expect, it } from 'vitest';
import { App, Chart, ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { SlipwayService } from '../../src/slipway-service';
import { addSidecar } from '../../src/render/sidecar';
import { loadSpecText } from '../../src/spec/load';
import { linkServices } from '../../src/app/link';
import { renderManifestObjects } from '../../src/app/manifests';
import { restrictedViolations } from '../support/pss';
import { errorOf, find, lineOf, renderSet, schemaErrors, WEB } from './helpers';

const AGENT = `name: shipper
version: 0.6.3
image: { registry: ghcr.io, repository: acme/shipper }
workload:
  kind: Sidecar
  sidecar:
    host: web
    sharedVolumes: { app-logs: /var/log/web }
ports: [{ name: grpc, containerPort: 50051 }]
health:
  grpc: { port: grpc }
  startup: { grpc: { port: grpc }, periodSeconds: 1, failureThreshold: 10 }
config: { env: { OUTPUT: otlp://collector:4317 } }
resources: { requests: { cpu: 20m, memory: 32Mi }, limits: { memory: 64Mi } }
`;
const SET = `${WEB}---\n${AGENT}`;

describe('native sidecar of a service in the same spec set', () => {
  const set = renderSet(SET);
  const deployment = find(set.web, 'Deployment');
  const pod = deployment.spec.template.spec;

  it('is an init container with restartPolicy Always, so it starts before the app containers', () => {
    expect(pod.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['shipper', 'Always']]);
    expect(pod.containers.map((c: any) => c.name)).toEqual(['web']);
  });

  it('keeps its own image, probes (gRPC), resources, env and restricted security context', () => {
    const c = pod.initContainers[0];
    expect(c.image).toBe('ghcr.io/acme/shipper:0.6.3');
    expect(c.startupProbe).toMatchObject({ grpc: { port: 50051 }, periodSeconds: 1, failureThreshold: 10 });
    expect(c.livenessProbe.grpc).toEqual({ port: 50051 });
    expect(c.readinessProbe.grpc).toEqual({ port: 50051 });
    // The spec sets cpu/memory only: the ephemeral-storage defaults fill the rest (per resource).
    expect(c.resources).toEqual({ requests: { cpu: '20m', memory: '32Mi', 'ephemeral-storage': '64Mi' }, limits: { memory: '64Mi', 'ephemeral-storage': '1Gi' } });
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'web-shipper-env' } }]);
    expect(c.ports).toEqual([{ name: 'grpc', containerPort: 50051, protocol: 'TCP' }]);
    expect(restrictedViolations(pod, 'web')).toEqual([]);
  });

  it('shares an emptyDir mounted at the same path in the app and the sidecar; its own volumes are prefixed', () => {
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }, { name: 'shipper-tmp', emptyDir: {} }, { name: 'app-logs', emptyDir: {} }]);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'app-logs', mountPath: '/var/log/web' }]);
    expect(pod.initContainers[0].volumeMounts).toEqual([{ name: 'shipper-tmp', mountPath: '/tmp' }, { name: 'app-logs', mountPath: '/var/log/web' }]);
  });

  it('brings its own ConfigMap into the host\'s objects (self-contained, in the host\'s release), rolling the host when it changes; renders nothing itself', () => {
    const cm = find(set.web, 'ConfigMap', 'web-shipper-env');
    expect(cm.data).toEqual({ OUTPUT: 'otlp://collector:4317' });
    expect(cm.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'shipper', 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/component': 'sidecar' });
    expect(deployment.spec.template.metadata.annotations['checksum/sidecar-shipper-config']).toMatch(/^[0-9a-f]{64}$/);
    const changed = find(renderSet(SET.replace('collector:4317', 'collector:4318')).web, 'Deployment');
    expect(changed.spec.template.metadata.annotations['checksum/sidecar-shipper-config']).not.toBe(deployment.spec.template.metadata.annotations['checksum/sidecar-shipper-config']);
    expect(set.shipper).toEqual([]);
    expect(schemaErrors(set.web)).toEqual([]);
  });

  it('still renders its config when rendered on its own (e.g. from TypeScript, attached with addSidecar)', () => {
    const [, shipper] = loadSpecText(SET, 'x.yaml');
    expect(renderManifestObjects(shipper.model).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/shipper-env']);
  });

  it('leaves the host unchanged when rendered without the cross-service step', () => {
    const [web] = loadSpecText(SET, 'x.yaml');
    expect(find(renderManifestObjects(web.model), 'Deployment').spec.template.spec.initContainers).toBeUndefined();
  });

  it('joins a host declared in another file of the run', () => {
    const linked = linkServices([...loadSpecText(WEB, 'web.yaml'), ...loadSpecText(AGENT, 'shipper.yaml')]);
    const host = linked.find((s) => s.model.name === 'web')!;
    expect(find(renderManifestObjects(host.model), 'Deployment').spec.template.spec.initContainers[0].name).toBe('shipper');
  });
});

describe('classic co-container sidecar', () => {
  it('is appended after the app container, without restartPolicy', () => {
    const set = renderSet(SET.replace('host: web', 'host: web\n    mode: container'));
    const pod = find(set.web, 'Deployment').spec.template.spec;
    expect(pod.initContainers).toBeUndefined();
    expect(pod.containers.map((c: any) => c.name)).toEqual(['web', 'shipper']);
    expect(pod.containers[1].restartPolicy).toBeUndefined();
    expect(pod.containers[1].readinessProbe.grpc).toEqual({ port: 50051 });
    expect(pod.containers[1].volumeMounts).toContainEqual({ name: 'app-logs', mountPath: '/var/log/web' });
    expect(schemaErrors(set.web)).toEqual([]);
  });
});

describe('bad input: sidecars', () => {
  it('a host that does not exist names the file, line and field', () => {
    const spec = SET.replace('host: web', 'host: wbe');
    expect(errorOf(spec)).toBe(`x.yaml:${lineOf(spec, 'host: wbe')}:11: workload.sidecar.host: "wbe" is not a service of this run (services: web)`);
  });

  it('a host that is itself a sidecar, and a sidecar without a host', () => {
    const other = AGENT.replace('name: shipper', 'name: other').replace('host: web', 'host: shipper').replace('containerPort: 50051', 'containerPort: 50052');
    expect(errorOf(`${SET}---\n${other}`)).toContain('workload.sidecar.host: "shipper" is itself a Sidecar: attach to a Deployment or DaemonSet');
    const hostless = SET.replace('    host: web\n', '');
    expect(errorOf(hostless)).toMatch(/^x\.yaml:\d+:\d+: workload\.sidecar: names no host/);
  });

  it('a port the host already uses', () => {
    const spec = SET.replace('containerPort: 50051', 'containerPort: 8080');
    expect(errorOf(spec)).toContain('workload.sidecar: cannot join the pods of "web": port 8080/TCP is already used by container "web"');
  });

  it('pod settings and exposure on a sidecar', () => {
    const msg = errorOf(`${AGENT}ingress: { hosts: [{ host: a.example.com }] }\nhostPaths: [{ path: /var/log }]\n`, 'shipper.yaml')!;
    expect(msg).toContain('shipper.yaml:15:10: ingress: does not apply to a Sidecar');
    expect(msg).not.toContain('mounts /var/log');
    expect(msg).toContain('hostPaths: is a pod setting and does not apply to a Sidecar');
  });
});

describe('addSidecar (TypeScript) on your own cdk8s workloads', () => {
  const agentProps = { name: 'shipper', version: '0.6.3', image: { repository: 'acme/shipper' }, workload: { kind: 'Sidecar' as const },
    ports: [{ name: 'grpc', containerPort: 50051 }], health: { grpc: { port: 'grpc' } } };

  it('adds a native sidecar and shared volumes to a cdk8s-plus Deployment', () => {
    const chart = new Chart(new App(), 'c');
    const app = new kplus.Deployment(chart, 'app', { containers: [{ image: 'acme/app:1', portNumber: 8080, securityContext: { user: 1000 } }] });
    const agent = new SlipwayService(chart, 'agent', agentProps);
    addSidecar(app, agent, { sharedVolumes: { logs: '/var/log/app' } });
    const pod = ApiObject.of(app).toJson().spec.template.spec;
    expect(pod.initContainers.map((c: any) => [c.name, c.restartPolicy, c.startupProbe.grpc.port])).toEqual([['shipper', 'Always', 50051]]);
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'logs', mountPath: '/var/log/app' });
    expect(pod.volumes).toEqual(expect.arrayContaining([{ name: 'logs', emptyDir: {} }, { name: 'shipper-tmp', emptyDir: {} }]));
    // The sidecar's own ConfigMaps/Secrets come from its SlipwayService; it renders no workload.
    expect(agent.workload).toBeUndefined();
  });

  it('adds a co-container to a raw ApiObject and to a SlipwayService host, appending to existing lists', () => {
    const chart = new Chart(new App(), 'c');
    const raw = new k8s.KubeDeployment(chart, 'raw', { spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: {
      containers: [{ name: 'main', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/data' }] }], volumes: [{ name: 'data', emptyDir: {} }] } } } });
    addSidecar(raw, { model: new SlipwayService(chart, 'agent', agentProps).model }, { mode: 'container' });
    const pod = raw.toJson().spec.template.spec;
    expect(pod.containers.map((c: any) => c.name)).toEqual(['main', 'shipper']);
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['data', 'shipper-tmp']);

    const host = new SlipwayService(chart, 'web', { name: 'web', version: '1', image: { repository: 'acme/web' }, ports: [{ name: 'http', containerPort: 8080 }] });
    addSidecar(host.workload!, new SlipwayService(chart, 'agent2', { ...agentProps, instance: 'shipper-2' }));
    expect(host.workload!.toJson().spec.template.spec.initContainers[0].name).toBe('shipper');
  });

  it('throws on a clash instead of producing an invalid pod', () => {
    const chart = new Chart(new App(), 'c');
    const app = new kplus.Deployment(chart, 'app', { containers: [{ name: 'shipper', image: 'acme/app:1', portNumber: 50051 }] });
    expect(() => addSidecar(app, new SlipwayService(chart, 'agent', agentProps))).toThrow(/already has a container named "shipper".*port 50051\/TCP is already used/);
  });
});
