/**
 * First cluster test: a real API server accepts a restricted-compliant Deployment (strict
 * server-side apply dry-run, then a real apply that becomes Available on kwok nodes) and rejects
 * broken manifests with the API server's own messages.
 *
 * `inject('cluster').local` is false on an external cluster (KUBECONFIG, e.g. kind): tests that need
 * the local control plane (its logs, etcd, kwok) should use `it.skipIf(!cluster.local)`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TOOLS_BIN, kubectl as run, type RunResult } from './controlplane';

const cluster = inject('cluster');
const kubectl = (args: string[], input?: string): RunResult => run(cluster.kubeconfig, args, input);
const json = (o: unknown) => JSON.stringify(o);
/** Random suffix so the suite can run repeatedly against a long-lived (kind) cluster. */
const ns = `slipway-e2e-${Math.random().toString(36).slice(2, 8)}`;

const restrictedPod = (extra: Record<string, unknown> = {}) => ({
  automountServiceAccountToken: false,
  securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{
    name: 'app',
    image: 'registry.k8s.io/pause:3.9',
    ports: [{ name: 'http', containerPort: 8080 }],
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    ...extra,
  }],
});

const deployment = (name: string, containerExtra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/name': name } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { 'app.kubernetes.io/name': name } },
    template: { metadata: { labels: { 'app.kubernetes.io/name': name } }, spec: restrictedPod(containerExtra) },
  },
});

const strictDryRun = ['apply', '--server-side', '--dry-run=server', '--validate=strict',
  '--field-manager=slipway-test', '-f', '-'];

function versionOf(bin: string, args: string[]): string {
  const file = path.join(TOOLS_BIN, bin);
  if (!fs.existsSync(file)) return '(not installed)';
  const r = spawnSync(file, args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.trim().split('\n')[0];
}

describe(`API server (${cluster.local ? 'local control plane' : 'external cluster'})`, () => {
  beforeAll(() => {
    const r = kubectl(['apply', '-f', '-'], json({
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { name: ns, labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
      } },
    }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
  afterAll(() => {
    kubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']);
  });

  it('reports component versions', () => {
    const server = JSON.parse(kubectl(['version', '-o', 'json']).stdout);
    const versions = {
      'kube-apiserver (/version)': server.serverVersion?.gitVersion,
      kubectl: server.clientVersion?.gitVersion,
      etcd: cluster.local ? versionOf('etcd', ['--version']) : '(external cluster)',
      kwok: cluster.local ? versionOf('kwok', ['--version']) : '(external cluster)',
      helm3: versionOf('helm3', ['version', '--short']),
      helm4: versionOf('helm4', ['version', '--short']),
    };
    console.log('component versions:\n' + Object.entries(versions).map(([k, v]) => `  ${k}: ${v}`).join('\n'));
    expect(server.serverVersion?.gitVersion).toMatch(/^v1\.\d+\.\d+/);
    if (cluster.local) expect(server.serverVersion.gitVersion).toBe('v1.28.15');
  });

  it('accepts a restricted-compliant Deployment in a strict server-side dry-run', () => {
    const r = kubectl(strictDryRun, json(deployment('web')));
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('deployment.apps/web serverside-applied (server dry run)');
    expect(r.code).toBe(0);
  });

  it('applies it for real and it becomes Available (pods Ready on kwok nodes)', () => {
    const applied = kubectl(['apply', '--server-side', '--validate=strict', '-f', '-'], json(deployment('web')));
    expect(applied.code, applied.stderr).toBe(0);
    const wait = kubectl(['wait', '-n', ns, '--for=condition=Available', 'deployment/web', '--timeout=120s']);
    expect(wait.code, `${wait.stderr}\n${kubectl(['get', 'pods,rs,events', '-n', ns]).stdout}`).toBe(0);
    const pods = JSON.parse(kubectl(['get', 'pods', '-n', ns, '-o', 'json']).stdout).items;
    expect(pods).toHaveLength(2);
    for (const p of pods) expect(p.status.phase).toBe('Running');
  });

  it('runs a Job to completion and garbage-collects a deleted Deployment\'s pods', () => {
    const job = {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: ns },
      spec: { backoffLimit: 0, template: { spec: { ...restrictedPod(), restartPolicy: 'Never' } } },
    };
    expect(kubectl(['apply', '--server-side', '--validate=strict', '-f', '-'], json(job)).code).toBe(0);
    const done = kubectl(['wait', '-n', ns, '--for=condition=Complete', 'job/once', '--timeout=120s']);
    expect(done.code, done.stderr).toBe(0);
    // Deleting the Deployment (foreground) makes the garbage collector remove its ReplicaSet and pods.
    const del = kubectl(['delete', '-n', ns, 'deployment/web', '--cascade=foreground', '--timeout=120s']);
    expect(del.code, del.stderr).toBe(0);
    const left = kubectl(['get', 'rs,pods', '-n', ns, '-l', 'app.kubernetes.io/name=web', '-o', 'name']);
    expect(left.stdout.trim()).toBe('');
  });

  it('rejects an unknown field (strict field validation)', () => {
    const r = kubectl(strictDryRun, json(deployment('typo', { imagePullPolicyy: 'IfNotPresent' })));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Error from server');
    expect(r.stderr).toContain('.spec.template.spec.containers[name="app"].imagePullPolicyy: field not declared in schema');
  });

  it('rejects a privileged container (Pod Security "restricted")', () => {
    const privileged = { securityContext: { privileged: true, allowPrivilegeEscalation: true } };
    // Pods are enforced: the API server refuses them.
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'root', namespace: ns }, spec: restrictedPod(privileged) };
    const r = kubectl(strictDryRun, json(pod));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('violates PodSecurity "restricted:latest"');
    expect(r.stderr).toMatch(/privileged \(container "app" must not set securityContext\.privileged=true\)/);
    // Workloads are admitted with a warning (their pods would then be refused).
    const d = kubectl(strictDryRun, json(deployment('root', privileged)));
    expect(d.stderr).toContain('would violate PodSecurity "restricted:latest"');
  });
});
