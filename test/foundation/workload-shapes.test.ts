/**
 * Issue 15's new workload shapes, on the rendered objects: capabilities (NET_BIND_SERVICE only),
 * gid 0, hostPath type "", UDP/SCTP ports end to end; the StatefulSet; storage volumes.
 */
import { describe, expect, it } from 'vitest';
import { BASE, render, find, mainContainer } from '../support/render';
import { renderChart } from '../../src/chart/render-chart';
import { loadSpecText } from '../../src/spec/load';
import { exampleServices, objectsOf } from '../support/examples';
import { schemaErrors } from '../variants/helpers';
import { restrictedViolations } from '../support/pss';

const chartSchemaOf = (yaml: string) => {
  const files = renderChart(loadSpecText(yaml, 'spec.yaml')[0].model);
  return JSON.parse(files['web/values.schema.json']);
};

describe('protocols and capabilities', () => {
  it('adds NET_BIND_SERVICE after drop ALL, and nothing else', () => {
    const c = mainContainer(render(`${BASE}security: { capabilities: { add: [NET_BIND_SERVICE] } }\n`));
    expect(c.securityContext.capabilities).toEqual({ add: ['NET_BIND_SERVICE'], drop: ['ALL'] });
    expect(mainContainer(render(BASE)).securityContext.capabilities).toEqual({ drop: ['ALL'] });
  });

  it('runs with gid 0 when the spec asks, still as a non-root uid', () => {
    const objects = render(`${BASE}security: { runAsGroup: 0 }\n`);
    const pod = find(objects, 'Deployment').spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 0, fsGroup: 0 });
    expect(pod.containers[0].securityContext).toMatchObject({ runAsUser: 10001, runAsGroup: 0 });
  });

  it('lets the chart values keep gid 0 only when the spec chose it, and add only NET_BIND_SERVICE', () => {
    const gid = (s: any) => s.properties.podSecurityContext.properties.runAsGroup.minimum;
    expect(gid(chartSchemaOf(`${BASE}security: { runAsGroup: 0 }\n`))).toBe(0);
    expect(gid(chartSchemaOf(BASE))).toBe(1);
    const caps = chartSchemaOf(BASE).properties.containerSecurityContext.properties.capabilities.properties.add;
    expect(caps.items.enum).toEqual(['NET_BIND_SERVICE']);
  });

  it('keeps hostPath type "" (no check by the kubelet) when written', () => {
    const objects = render(`${BASE}hostPaths: [{ path: /var/log, type: "" }]\nsecurity: { exceptions: [{ name: logs, reason: reads the node logs, allow: [hostPath] }] }\n`);
    expect(find(objects, 'Deployment').spec.template.spec.volumes).toContainEqual({ name: 'host-var-log', hostPath: { path: '/var/log', type: '' } });
  });

  it('edge-dns binds UDP and TCP 53 as non-root with NET_BIND_SERVICE; protocols kept in container, Service and NetworkPolicy', () => {
    const objects = objectsOf(exampleServices().find((s) => s.model.name === 'edge-dns')!);
    const c = mainContainer(objects);
    expect(c.ports.slice(0, 2)).toEqual([{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }]);
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } });
    expect(find(objects, 'Service').spec.ports.map((p: any) => [p.port, p.protocol])).toEqual([[53, 'UDP'], [53, 'TCP']]);
    expect(find(objects, 'NetworkPolicy').spec.ingress[0].ports).toEqual([{ port: 'dns', protocol: 'UDP' }, { port: 'dns-tcp', protocol: 'TCP' }]);
  });

  // Found on the real kubelet (test/cluster/realpods/examples.test.ts): containerd/runc give a
  // non-root process no ambient capabilities, so `add: [NET_BIND_SERVICE]` alone still fails
  // `bind :53` with EACCES. The pod's network namespace lowers the privileged port range instead
  // (a "safe" sysctl: Pod Security restricted allows it, no kubelet flag needed).
  it('a non-root pod declaring a port below 1024 lowers net.ipv4.ip_unprivileged_port_start to it', () => {
    const objects = objectsOf(exampleServices().find((s) => s.model.name === 'edge-dns')!);
    const pod = find(objects, 'Deployment').spec.template.spec;
    expect(pod.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '53' }]);
    // kube-linter's unsafe-sysctls list predates Kubernetes 1.22 making it safe: exempted, with the reason.
    expect(find(objects, 'Deployment').metadata.annotations['ignore-check.kube-linter.io/unsafe-sysctls']).toMatch(/safe sysctl since Kubernetes 1\.22/);
    expect(restrictedViolations(pod, 'edge-dns')).toEqual([]);
    expect(find(render(BASE), 'Deployment').spec.template.spec.securityContext.sysctls).toBeUndefined();
    const psc = chartSchemaOf(BASE).properties.podSecurityContext;
    expect(psc.properties.sysctls.items.properties.name.enum).toEqual(['net.ipv4.ip_unprivileged_port_start']);
  });
});

const STS = `${BASE}workload:
  kind: StatefulSet
  statefulSet:
    partition: 1
    persistentVolumeClaimRetentionPolicy: { whenScaled: Delete }
    publishNotReadyAddresses: false
    volumeClaims:
      - { name: data, size: 1.5Gi, storageClass: fast-ssd, accessModes: [ReadWriteOncePod], mountPath: /var/lib/web }
      - { name: wal, size: 512Mi, mountPath: /var/lib/wal }
replicas: 3
`;

describe('StatefulSet', () => {
  const broker = objectsOf(exampleServices().find((s) => s.model.name === 'message-broker')!);

  it('message-broker: a StatefulSet with a claim per replica, governed by a headless Service, plus the client Service and a PDB', () => {
    const sts = find(broker, 'StatefulSet');
    expect(sts.metadata.name).toBe('message-broker');
    expect(sts.spec).toMatchObject({
      serviceName: 'message-broker-headless', replicas: 3, podManagementPolicy: 'Parallel',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }],
    });
    expect(sts.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/broker' });
    // The claim is not a pod volume: the controller adds it per ordinal.
    expect(sts.spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('data');
    const services = broker.filter((o) => o.kind === 'Service');
    expect(services.map((s) => s.metadata.name).sort()).toEqual(['message-broker', 'message-broker-headless']);
    const headless = services.find((s) => s.metadata.name === 'message-broker-headless');
    expect(headless.spec).toEqual({
      clusterIP: 'None', publishNotReadyAddresses: true,
      selector: { 'app.kubernetes.io/name': 'message-broker', 'app.kubernetes.io/instance': 'message-broker' },
      ports: [{ name: 'amqp', port: 5672, targetPort: 'amqp', protocol: 'TCP' }],
    });
    expect(find(broker, 'PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 1 });
    expect(broker.map((o) => o.kind)).not.toContain('HorizontalPodAutoscaler');
    expect(broker.map((o) => o.kind)).not.toContain('Deployment');
  });

  it('renders partition, retention, storage class, access modes and several claims as written', () => {
    const objects = render(STS);
    const sts = find(objects, 'StatefulSet');
    expect(sts.spec.podManagementPolicy).toBe('OrderedReady');
    expect(sts.spec.updateStrategy.rollingUpdate.partition).toBe(1);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Delete' });
    expect(sts.spec.volumeClaimTemplates.map((t: any) => t.spec)).toEqual([
      { accessModes: ['ReadWriteOncePod'], resources: { requests: { storage: '1.5Gi' } }, storageClassName: 'fast-ssd' },
      { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '512Mi' } } },
    ]);
    expect(objects.find((o) => o.metadata.name === 'web-headless').spec.publishNotReadyAddresses).toBe(false);
    expect(sts.spec.template.spec.topologySpreadConstraints).toHaveLength(2);
    expect(schemaErrors(objects)).toEqual([]);
    expect(restrictedViolations(sts.spec.template.spec, 'StatefulSet/web')).toEqual([]);
  });

  it('accepts a 52-character name, the longest the controller-revision-hash label allows', () => {
    const yaml = `${BASE.replace('name: web', `name: ${'n'.repeat(11)}\ninstance: ${'i'.repeat(40)}`)}workload: { kind: StatefulSet }\n`;
    expect(find(render(yaml), 'StatefulSet').metadata.name).toHaveLength(52);
  });
});

describe('StatefulSet chart values', () => {
  it('partition, replicas, claim size and storage class are values; the default render equals the manifests', async () => {
    const { writeChart, template, byKindName } = await import('../chart/fixture');
    const { helmBinaries } = await import('../support/helm');
    const model = loadSpecText(STS, 'spec.yaml')[0].model;
    const dir = writeChart(model);
    const bin = helmBinaries()[helmBinaries().length - 1];
    expect(byKindName(template(bin, model.instance, dir))).toEqual(byKindName(render(STS)));
    const set = template(bin, model.instance, dir, ['--set', 'statefulSet.partition=2,replicaCount=5,persistence.data.size=20Gi,persistence.data.storageClass=slow,statefulSet.podManagementPolicy=Parallel']);
    const sts = set.find((o) => o.kind === 'StatefulSet');
    expect(sts.spec).toMatchObject({ replicas: 5, podManagementPolicy: 'Parallel', updateStrategy: { rollingUpdate: { partition: 2 } } });
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'slow', resources: { requests: { storage: '20Gi' } } });
  });

  it('values.schema.json refuses a bad size, access mode, partition or policy', async () => {
    const { writeChart, KUBE_VERSION_ARGS } = await import('../chart/fixture');
    const { helmBinaries, helm } = await import('../support/helm');
    const model = loadSpecText(STS, 'spec.yaml')[0].model;
    const dir = writeChart(model);
    const bin = helmBinaries()[helmBinaries().length - 1];
    for (const [set, where] of [['persistence.data.size=10GB', 'size'], ['persistence.wal.accessModes={ReadWriteAlways}', 'accessModes'], ['statefulSet.partition=-1', 'partition'], ['statefulSet.podManagementPolicy=Random', 'podManagementPolicy']]) {
      const r = helm(bin, ['template', model.instance, dir, ...KUBE_VERSION_ARGS, '--set', set]);
      expect(r.status, set).not.toBe(0);
      expect(r.stderr, set).toContain(where);
    }
  });
});

export const STORAGE = `${BASE}volumes:
  - { name: cache, emptyDir: { sizeLimit: 256Mi, medium: Memory } }
  - { name: uploads, persistentVolumeClaim: { size: 5Gi, storageClass: fast, accessModes: [ReadWriteMany] } }
  - { name: shared, persistentVolumeClaim: { claimName: team-share } }
  - { name: ca, configMap: { name: trust-bundle } }
  - { name: creds, secret: { secretName: db-creds, optional: true } }
  - name: bundle
    projected: { sources: [{ configMap: { name: a } }, { secret: { name: b } }, { serviceAccountToken: { path: vault-token, audience: vault } }] }
mounts:
  - { volume: cache, mountPath: /cache }
  - { volume: uploads, mountPath: /data/uploads }
  - { volume: shared, mountPath: /data/shared, readOnly: true, subPath: web }
  - { volume: shared, mountPath: /data/shared-logs, subPath: logs }
  - { volume: ca, mountPath: /etc/ssl/extra }
  - { volume: creds, mountPath: /etc/creds }
  - { volume: bundle, mountPath: /etc/bundle }
`;

describe('storage volumes', () => {
  const objects = render(STORAGE);
  const pod = find(objects, 'Deployment').spec.template.spec;

  it('renders every volume kind after the generated ones, mounted by name (API-backed volumes read-only by default)', () => {
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['tmp', 'cache', 'uploads', 'shared', 'ca', 'creds', 'bundle']);
    expect(pod.volumes[1]).toEqual({ name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } });
    expect(pod.volumes[2]).toEqual({ name: 'uploads', persistentVolumeClaim: { claimName: 'web-uploads' } });
    expect(pod.volumes[3]).toEqual({ name: 'shared', persistentVolumeClaim: { claimName: 'team-share' } });
    expect(pod.volumes[5]).toEqual({ name: 'creds', secret: { secretName: 'db-creds', optional: true } });
    expect(pod.volumes[6].projected.sources[2]).toEqual({ serviceAccountToken: { path: 'vault-token', audience: 'vault', expirationSeconds: 3600 } });
    expect(pod.containers[0].volumeMounts.slice(1)).toEqual([
      { name: 'cache', mountPath: '/cache' },
      { name: 'uploads', mountPath: '/data/uploads' },
      { name: 'shared', mountPath: '/data/shared', readOnly: true, subPath: 'web' },
      { name: 'shared', mountPath: '/data/shared-logs', subPath: 'logs' },
      { name: 'ca', mountPath: '/etc/ssl/extra', readOnly: true },
      { name: 'creds', mountPath: '/etc/creds', readOnly: true },
      { name: 'bundle', mountPath: '/etc/bundle', readOnly: true },
    ]);
  });

  it('creates only the sized claim, before the pods (sync wave -1); strict-valid and restricted', () => {
    const pvcs = objects.filter((o) => o.kind === 'PersistentVolumeClaim');
    expect(pvcs.map((p) => [p.metadata.name, p.spec])).toEqual([['web-uploads', { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '5Gi' } }, storageClassName: 'fast' }]]);
    expect(pvcs[0].metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    expect(schemaErrors(objects)).toEqual([]);
    expect(restrictedViolations(pod, 'Deployment/web')).toEqual([]);
  });

  it('chart: the default render equals the manifests; the claim follows the release and persistence.<volume>.size', async () => {
    const { writeChart, template, byKindName } = await import('../chart/fixture');
    const { helmBinaries } = await import('../support/helm');
    const model = loadSpecText(STORAGE, 'spec.yaml')[0].model;
    const dir = writeChart(model);
    const bin = helmBinaries()[helmBinaries().length - 1];
    expect(byKindName(template(bin, model.instance, dir))).toEqual(byKindName(objects));
    const other = template(bin, 'other', dir, ['--set', 'persistence.uploads.size=9Gi']);
    expect(other.find((o) => o.kind === 'PersistentVolumeClaim').metadata.name).toBe('other-web-uploads');
    expect(other.find((o) => o.kind === 'PersistentVolumeClaim').spec.resources.requests.storage).toBe('9Gi');
    expect(other.find((o) => o.kind === 'Deployment').spec.template.spec.volumes[2].persistentVolumeClaim.claimName).toBe('other-web-uploads');
  });
});

describe('image definition follows the pod', () => {
  it('compose adds back NET_BIND_SERVICE and runs as gid 0 when the spec does; the Dockerfile USER is uid:0', async () => {
    const { withBuild, files } = await import('../image/helpers');
    const { parse: parseYaml } = await import('yaml');
    const model = withBuild('  preset: go\n  compose: true', 'security: { runAsGroup: 0, capabilities: { add: [NET_BIND_SERVICE] } }\n');
    const out = files(model);
    const svc: any = Object.values(parseYaml(out['compose.yaml']).services)[0];
    expect(svc.cap_drop).toEqual(['ALL']);
    expect(svc.cap_add).toEqual(['NET_BIND_SERVICE']);
    expect(svc.user).toBe('10001:0');
    expect(out.Dockerfile).toMatch(/^USER 10001:0$/m);
  });
});
