/**
 * `initContainers`: rendered in the pod template of every workload kind with the main container's
 * restricted security context (no added capabilities), default resources and the writable paths;
 * located errors for bad mounts and names; in the chart, the `initContainers` value renders the
 * same containers and values.schema.json refuses a value that would break Pod Security "restricted".
 */
import { describe, expect, it } from 'vitest';
import { renderOne, errorOf, find, schemaErrors, lineOf, WEB } from './helpers';
import { loadSpecText } from '../../src/spec/load';
import { byKindName, parseStream, template, writeChart, writeValues } from '../chart/fixture';
import { renderManifestObjects } from '../../src/app/manifests';
import { helm, helmBinaries } from '../support/helm';

const INIT = `volumes: [{ name: work, emptyDir: {} }]
mounts: [{ volume: work, mountPath: /work }]
initContainers:
  - name: prepare
    image: "busybox:1.36"
    command: [sh, -c, "cp /seed/* /work/"]
    env: { MODE: seed }
    mounts: [{ volume: work, mountPath: /work }]
  - { name: check, args: [--check], resources: { limits: { memory: 64Mi } } }
`;

const podSpec = (o: any) => (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec);

describe('initContainers', () => {
  it('renders each init container with the restricted security context, default resources and the writable paths', () => {
    const objects = renderOne(`${WEB}security: { capabilities: { add: [NET_BIND_SERVICE] } }\n${INIT}`);
    const pod = podSpec(find(objects, 'Deployment'));
    const main = pod.containers[0];
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['prepare', 'check']);
    const [prepare, check] = pod.initContainers;
    expect(prepare).toEqual({
      name: 'prepare', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent',
      command: ['sh', '-c', 'cp /seed/* /work/'], env: [{ name: 'MODE', value: 'seed' }],
      resources: main.resources,
      securityContext: { ...main.securityContext, capabilities: { drop: ['ALL'] } },
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'work', mountPath: '/work' }],
    });
    expect(main.securityContext.capabilities.add).toEqual(['NET_BIND_SERVICE']);
    expect(check.image).toBe(main.image);
    expect(check.resources).toEqual({ requests: { cpu: '100m', memory: '64Mi', 'ephemeral-storage': '64Mi' }, limits: { memory: '64Mi', 'ephemeral-storage': '1Gi' } });
    expect(schemaErrors(objects)).toEqual([]);
  });

  it.each([
    ['DaemonSet', 'workload: { kind: DaemonSet }\n'],
    ['StatefulSet', 'workload: { kind: StatefulSet }\nreplicas: 1\n'],
    ['Job', 'workload: { kind: Job }\n'],
    ['CronJob', 'workload: { kind: CronJob, cronJob: { schedule: "@daily" } }\n'],
  ])('renders them in a %s', (kind, workload) => {
    const base = kind === 'Job' || kind === 'CronJob' ? 'name: web\nversion: 1.2.3\nimage: { repository: acme/web }\n' : WEB;
    const objects = renderOne(`${base}${workload}${INIT}`);
    expect(podSpec(find(objects, kind)).initContainers.map((c: any) => c.name)).toEqual(['prepare', 'check']);
    expect(schemaErrors(objects)).toEqual([]);
  });

  it('accepts a volume that only an init container mounts', () => {
    const objects = renderOne(`${WEB}volumes: [{ name: seed, emptyDir: {} }]\ninitContainers: [{ name: fill, mounts: [{ volume: seed, mountPath: /seed }] }]\n`);
    expect(podSpec(find(objects, 'Deployment')).volumes.map((v: any) => v.name)).toContain('seed');
  });

  it('refuses bad mounts, names and resources with located errors', () => {
    const spec = `${WEB}initContainers:
  - { name: web, mounts: [{ volume: nope, mountPath: /x }] }
  - { name: twice }
  - { name: twice, resources: { requests: { memory: 1Gi }, limits: { memory: 1Mi } } }
`;
    const err = errorOf(spec)!;
    expect(err).toContain(`x.yaml:${lineOf(spec, 'name: web, mounts')}:`);
    expect(err).toMatch(/initContainers\[0\]\.name: "web" is the main container's name/);
    expect(err).toMatch(/initContainers\[0\]\.mounts\[0\]\.volume: "nope" is not a declared volume/);
    expect(err).toMatch(/initContainers\[2\]\.name: "twice" is declared twice/);
    expect(err).toMatch(/initContainers\[2\]\.resources\.requests\.memory: \(1Gi\) is above initContainers\.2\.resources\.limits\.memory/);
    expect(errorOf(`${WEB}initContainers: [{ name: x, image: "Bad Image" }]\n`)).toMatch(/initContainers\[0\]\.image: .*image reference/);
    expect(errorOf(`name: side\nversion: 1.0.0\nimage: { repository: a/b }\nworkload: { kind: Sidecar, sidecar: { host: web } }\ninitContainers: [{ name: x }]\n`)).toMatch(/initContainers: is a pod setting and does not apply to a Sidecar/);
  });
});

describe('initContainers in the chart', () => {
  const [svc] = loadSpecText(`${WEB}${INIT}`, 'x.yaml');
  const dir = writeChart(svc.model);
  const bins = helmBinaries();

  it.each(bins.map((b) => [b.name, b] as const))('renders the manifests with default values (%s)', (_n, bin) => {
    expect(byKindName(template(bin, 'web', dir))).toEqual(byKindName(renderManifestObjects(svc.model)));
  });

  it.each(bins.map((b) => [b.name, b] as const))('values.schema.json refuses an init container that breaks "restricted", accepts a restricted one (%s)', (_n, bin) => {
    const ok = { name: 'extra', image: 'busybox:1.36', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } };
    const good = helm(bin, ['template', 'web', dir, '--kube-version', '1.28.0', '-f', writeValues('ok.yaml', JSON.stringify({ initContainers: [ok] }))]);
    expect(good.status, good.stderr).toBe(0);
    const pods = parseStream(good.stdout).filter((o) => o.kind === 'Deployment');
    expect(pods[0].spec.template.spec.initContainers.map((c: any) => c.name)).toEqual(['extra']);
    for (const bad of [
      { ...ok, securityContext: { ...ok.securityContext, privileged: true } },
      { ...ok, securityContext: { ...ok.securityContext, allowPrivilegeEscalation: true } },
      { ...ok, securityContext: { ...ok.securityContext, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } } },
      { ...ok, securityContext: { ...ok.securityContext, runAsUser: 0 } },
      { name: 'extra', image: 'busybox:1.36' },
      { ...ok, restartPolicy: 'Always' },
      { ...ok, ports: [{ containerPort: 80, hostPort: 80 }] },
    ]) {
      const r = helm(bin, ['template', 'web', dir, '--kube-version', '1.28.0', '-f', writeValues('bad.yaml', JSON.stringify({ initContainers: [bad] }))]);
      expect(r.status, JSON.stringify(bad)).not.toBe(0);
      expect(r.stderr).toMatch(/initContainers/);
    }
  });
});
