/**
 * A non-root service declaring a port below 1024 sets the safe sysctl
 * `net.ipv4.ip_unprivileged_port_start` in its pod security context (found on a real kubelet:
 * NET_BIND_SERVICE alone gives a non-root process no ambient capability). kube-linter's
 * `unsafe-sysctls` list predates Kubernetes 1.22 making it safe, so every object whose pod template
 * carries it must carry kube-linter's exemption with the reason — in the manifests and in the
 * chart alike — and no pod gets it that binds no port: the migration Job (a pre-install /
 * pre-upgrade hook, no ports) runs without it. Checked with the real kube-linter (the cluster
 * suite's config) on the manifests and on `helm template` (helm 3 and 4), for every workload kind
 * that takes a migration.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toYaml } from '../../src/chart/yaml-out';
import { loadSpecText } from '../../src/spec/load';
import { renderManifestObjects } from '../../src/app/manifests';
import { byKindName, template, writeChart } from '../chart/fixture';
import { format, kubeLinter } from '../cluster/support/checkers';
import { helmBinaries } from '../support/helm';
import { loadSet } from './helpers';

const SYSCTL = 'net.ipv4.ip_unprivileged_port_start';
const EXEMPTION = 'ignore-check.kube-linter.io/unsafe-sysctls';

const spec = (workload: string) => `name: dns
version: 1.0.0
image: { repository: acme/dns, tag: "1.0.0" }
${workload}
ports: [{ name: dns, containerPort: 53, protocol: UDP }, { name: http, containerPort: 8080 }]
health: { http: { path: /healthz, port: http } }
security: { capabilities: { add: [NET_BIND_SERVICE] } }
migration: { command: [dns, migrate, --up] }
`;

/** Every kind that can declare ports (a Job's or CronJob's pods may not: the spec refuses ports there). */
const KINDS: Record<string, string> = {
  Deployment: '',
  StatefulSet: 'workload: { kind: StatefulSet }',
  DaemonSet: 'workload: { kind: DaemonSet }',
};

/** The pod spec of an object with a pod template (workloads, Jobs, CronJobs), or undefined. */
const podSpec = (o: any): any => o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
const sysctlsOf = (o: any): string[] => (podSpec(o)?.securityContext?.sysctls ?? []).map((s: any) => s.name);
const isMigration = (o: any) => o.kind === 'Job' && /pre-install/.test(o.metadata.annotations?.['helm.sh/hook'] ?? '');

const binaries = helmBinaries().filter((b) => /helm[34]$/.test(b.name));

describe.each(Object.entries(KINDS))('a %s with a port below 1024 and a migration Job', (kind, workload) => {
  const model = loadSpecText(spec(workload), 'dns.yaml')[0].model;
  const manifests = renderManifestObjects(model) as any[];
  const chart = writeChart(model);
  const sources: [string, any[]][] = [['manifests', manifests], ...binaries.map((b) => [b.name, template(b, 'dns', chart)] as [string, any[]])];

  it('renders the chart with helm 3 and helm 4, equal to the manifests', () => {
    expect(binaries.map((b) => b.name)).toEqual(['helm3', 'helm4']);
    for (const [label, objects] of sources.slice(1)) expect(byKindName(objects), label).toEqual(byKindName(manifests));
  });

  it(`sets ${SYSCTL} on the ${kind}'s pods, not on the migration Job's (no port there)`, () => {
    for (const [label, objects] of sources) {
      const w = objects.find((o) => o.kind === kind);
      expect(podSpec(w).securityContext.sysctls, label).toEqual([{ name: SYSCTL, value: '53' }]);
      const job = objects.find(isMigration);
      expect(job, `${label}: migration Job`).toBeDefined();
      expect(podSpec(job).containers.flatMap((c: any) => c.ports ?? []), label).toEqual([]);
      expect(sysctlsOf(job), label).toEqual([]);
      // The rest of the pod security context is the app's.
      const { sysctls: _, ...rest } = podSpec(w).securityContext;
      expect(podSpec(job).securityContext, label).toEqual(rest);
    }
  });

  it('exempts every object whose pod template carries the sysctl from kube-linter\'s unsafe-sysctls, with the reason', () => {
    for (const [label, objects] of sources) {
      const carrying = objects.filter((o) => sysctlsOf(o).includes(SYSCTL));
      expect(carrying.length, label).toBeGreaterThan(0);
      for (const o of carrying) expect(o.metadata.annotations?.[EXEMPTION], `${label}: ${o.kind}/${o.metadata.name}`).toMatch(/safe sysctl since Kubernetes 1\.22/);
    }
  });

  it('gets no finding from the real kube-linter, on the manifests and on helm template (helm 3 and 4)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-lowport-'));
    for (const [label, objects] of sources) {
      const file = join(dir, `${label}.yaml`);
      writeFileSync(file, objects.map((o) => toYaml(o)).join('---\n'));
      expect((await kubeLinter(file)).map(format), label).toEqual([]);
    }
  }, 60_000);
});

/** A host on a high port with attached sidecars (native and classic) of which one binds port 80. */
const HOST_AND_SIDECARS = (mode: string) => `name: web
version: 1.0.0
image: { repository: acme/web, tag: "1.0.0" }
ports: [{ name: http, containerPort: 8080 }]
health: { http: { path: /healthz, port: http } }
---
name: edge
version: 1.0.0
image: { repository: acme/edge, tag: "1.0.0" }
workload: { kind: Sidecar, sidecar: { host: web, mode: ${mode} } }
ports: [{ name: proxy, containerPort: 80, expose: false }]
health: { tcp: { port: proxy } }
`;

describe.each(['native', 'container'])('a non-root %s sidecar binding a port below 1024', (mode) => {
  const host = loadSet(HOST_AND_SIDECARS(mode), 'web.yaml').find((s) => s.model.name === 'web')!.model;
  const manifests = renderManifestObjects(host) as any[];
  const chart = writeChart(host);
  const sources: [string, any[]][] = [['manifests', manifests], ...binaries.map((b) => [b.name, template(b, 'web', chart)] as [string, any[]])];

  it(`sets ${SYSCTL} to the sidecar's port on the host's pods (the sysctl is pod-wide), with kube-linter's exemption`, () => {
    for (const [label, objects] of sources) {
      const d = objects.find((o) => o.kind === 'Deployment');
      const edge = [...podSpec(d).initContainers ?? [], ...podSpec(d).containers].find((c: any) => c.name === 'edge');
      expect(edge?.ports?.[0]?.containerPort, label).toBe(80);
      expect(podSpec(d).securityContext.sysctls, label).toEqual([{ name: SYSCTL, value: '80' }]);
      expect(d.metadata.annotations?.[EXEMPTION], label).toMatch(/port 80/);
    }
  });
});
