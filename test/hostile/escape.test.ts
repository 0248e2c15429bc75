/**
 * Escape hatches under attack (issue 15): hostile text in init containers, extra objects and patch
 * values round-trips exactly through the chart (helm template = the manifests) without changing
 * the structure of any file; wrong types are located errors; a patch or extra object that would
 * escape Pod Security "restricted" or grant cluster-admin is refused unless an exception names it,
 * and the policy agrees with an independent "restricted" check on seeded random pods; a bad spec
 * makes `slipway synth` exit non-zero, say file:line and write nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadSpecText } from '../../src/spec/load';
import { renderManifestObjects } from '../../src/app/manifests';
import { byKindName } from '../chart/fixture';
import { helmObjects, located } from './inject-support';
import { restrictedViolations } from '../support/pss';
import { buildOnce, slipway, tempDir } from '../cli/helpers';
import { writeFileSync } from 'node:fs';

const WEB = { name: 'web', version: '1.2.3', image: { repository: 'acme/web' }, ports: [{ name: 'http', containerPort: 8080 }] };

const HOSTILE = [
  'line one\nline two\n',
  '{{ .Release.Name }}',
  '{{- /* x */ -}}',
  '}}{{',
  '<<: *anchor',
  "it's \"quoted\" \\ back\\slash",
  'tab\there',
  '\u2028\u2029 separators',
  '# not a comment',
  '- not a list',
  'x'.repeat(20_000),
];

function load(spec: object) {
  const text = stringify(spec, { lineWidth: 0 });
  try {
    return { model: loadSpecText(text, 'spec.yaml')[0].model };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('hostile text in the escape hatches round-trips through the chart', () => {
  it.each(HOSTILE.map((v, i) => [i, v] as const))('value #%i', (_i, value) => {
    const spec = {
      ...WEB,
      initContainers: [{ name: 'prep', command: ['sh', '-c', value], env: { TEXT: value } }],
      extraObjects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra', annotations: { note: value } }, data: { [value.length < 200 ? value.replace(/[^-._a-zA-Z0-9]/g, '_') || 'k' : 'k']: value, '<<': value } }],
      patches: [{ kind: 'Deployment', ops: [{ op: 'add', path: '/spec/template/metadata/annotations', value: { 'example.com/text': value } }] }],
    };
    const r = load(spec);
    expect(r.error).toBeUndefined();
    const manifests = renderManifestObjects(r.model!);
    const chart = byKindName(helmObjects(r.model!));
    expect(chart).toEqual(byKindName(manifests));
    const d = chart['Deployment/web'];
    expect(d.spec.template.spec.initContainers[0].command[2]).toBe(value);
    expect(d.spec.template.spec.initContainers[0].env).toEqual([{ name: 'TEXT', value }]);
    expect(d.spec.template.metadata.annotations['example.com/text']).toBe(value);
    expect(chart['ConfigMap/extra'].data['<<']).toBe(value);
    expect(chart['ConfigMap/extra'].metadata.annotations.note).toBe(value);
  });
});

describe('wrong types and shapes are located errors', () => {
  it.each([
    ['initContainers as a string', { initContainers: 'busybox' }, /initContainers/],
    ['an init container env value of the wrong type', { initContainers: [{ name: 'a', env: { N: 5 } }] }, /initContainers\[0\]\.env\.N/],
    ['an init container without a name', { initContainers: [{ image: 'busybox:1' }] }, /initContainers\[0\]/],
    ['an extra object that is not a map', { extraObjects: [42] }, /extraObjects\[0\]/],
    ['an extra object without metadata.name', { extraObjects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }] }, /extraObjects\[0\]\.metadata/],
    ['a patch op that is not RFC 6902', { patches: [{ kind: 'Deployment', ops: [{ op: 'copy', from: '/a', path: '/b' }] }] }, /patches\[0\]\.ops\[0\]/],
    ['a patch without ops', { patches: [{ kind: 'Deployment', ops: [] }] }, /patches\[0\]\.ops/],
    ['a patch value the schema refuses', { patches: [{ kind: 'Deployment', ops: [{ op: 'replace', path: '/spec/replicas', value: { a: 1 } }] }] }, /patches\[0\]\.ops\[0\]\.value: makes Deployment\/web invalid/],
  ])('%s', (_what, extra, mention) => {
    const r = load({ ...WEB, ...extra });
    expect(r.error).toBeDefined();
    expect(located(r.error!), r.error).toBe(true);
    expect(r.error).toMatch(mention);
  });
});

describe('escapes from "restricted" are refused unless an exception names the object', () => {
  it.each([
    ['a patch that sets privileged', { patches: [{ kind: 'Deployment', ops: [{ op: 'add', path: '/spec/template/spec/containers/0/securityContext/privileged', value: true }] }] }, /privileged/],
    ['a patch that removes the securityContext', { patches: [{ kind: 'Deployment', ops: [{ op: 'remove', path: '/spec/template/spec/containers/0/securityContext' }] }] }, /allowPrivilegeEscalation/],
    ['a patch that turns the pod\'s seccomp off', { patches: [{ kind: 'Deployment', ops: [{ op: 'replace', path: '/spec/template/spec/securityContext/seccompProfile/type', value: 'Unconfined' }] }] }, /turns seccomp off/],
    ['a patch that runs a container as root', { patches: [{ kind: 'Deployment', ops: [{ op: 'replace', path: '/spec/template/spec/containers/0/securityContext/runAsUser', value: 0 }] }] }, /uid 0/],
    ['a patch that shares the host PID namespace', { patches: [{ kind: 'Deployment', ops: [{ op: 'add', path: '/spec/template/spec/hostPID', value: true }] }] }, /process namespace/],
    ['a patch that adds a hostPath volume', { patches: [{ kind: 'Deployment', ops: [{ op: 'add', path: '/spec/template/spec/volumes/-', value: { name: 'root', hostPath: { path: '/' } } }] }] }, /hostPath volume/],
    ['a patch that adds a privileged init container', { patches: [{ kind: 'Deployment', ops: [{ op: 'add', path: '/spec/template/spec/initContainers', value: [{ name: 'x', image: 'busybox:1', securityContext: { privileged: true } }] }] }] }, /privileged/],
    ['a ClusterRoleBinding to cluster-admin', { extraObjects: [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'own-it' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' }] }] }, /cluster-admin/],
    ['a RoleBinding to cluster-admin in the namespace', { extraObjects: [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'own-ns' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'web' }] }] }, /cluster-admin/],
    ['a validating webhook (cluster-scoped)', { extraObjects: [{ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'hook' }, webhooks: [] }] }, /cluster-scoped/],
    ['a DaemonSet mounting the node root', { extraObjects: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'node' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { volumes: [{ name: 'root', hostPath: { path: '/' } }], containers: [{ name: 'c', image: 'busybox:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } }] } } } }] }, /hostPath/],
    ['an extra object that names a namespace', { extraObjects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'kube-system' } }] }, /namespace: is set by the release/],
  ])('%s', (_what, extra, mention) => {
    const r = load({ ...WEB, ...extra });
    expect(r.error, 'accepted').toBeDefined();
    expect(located(r.error!), r.error).toBe(true);
    expect(r.error).toMatch(mention);
  });

  // Seeded random pods: the policy accepts exactly the pods an independent "restricted" check accepts.
  const MUTATIONS: ((pod: any) => void)[] = [
    (p) => { p.containers[0].securityContext.privileged = true; },
    (p) => { p.containers[0].securityContext.allowPrivilegeEscalation = true; },
    (p) => { delete p.containers[0].securityContext.allowPrivilegeEscalation; },
    (p) => { p.containers[0].securityContext.capabilities = { drop: ['NET_RAW'] }; },
    (p) => { p.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE']; },
    (p) => { p.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']; },
    (p) => { p.containers[0].securityContext.runAsNonRoot = false; },
    (p) => { delete p.securityContext.runAsNonRoot; },
    (p) => { p.containers[0].securityContext.runAsUser = 0; },
    (p) => { p.securityContext.seccompProfile = { type: 'Unconfined' }; },
    (p) => { delete p.securityContext.seccompProfile; },
    (p) => { p.containers[0].securityContext.seccompProfile = { type: 'RuntimeDefault' }; },
    (p) => { p.hostNetwork = true; },
    (p) => { p.hostIPC = true; },
    (p) => { p.volumes = [{ name: 'h', hostPath: { path: '/var' } }]; },
    (p) => { p.volumes = [{ name: 'e', emptyDir: {} }]; },
    (p) => { p.containers[0].ports = [{ containerPort: 80, hostPort: 80 }]; },
    (p) => { p.initContainers = [{ name: 'i', image: 'busybox:1', securityContext: structuredClone(p.containers[0].securityContext) }]; },
    (p) => { p.initContainers = [{ name: 'i', image: 'busybox:1' }]; },
  ];
  const IGNORED = /root filesystem|automountServiceAccountToken/;
  let seed = Number(process.env.SLIPWAY_FUZZ_SEED ?? 15);
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const cases = Array.from({ length: Number(process.env.SLIPWAY_FUZZ_CASES ?? 40) }, (_, i) => {
    const pod: any = {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'c', image: 'busybox:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    };
    const applied: number[] = [];
    for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
      const m = Math.floor(random() * MUTATIONS.length);
      applied.push(m);
      MUTATIONS[m](pod);
    }
    return [i, applied.join(','), pod] as const;
  });
  it.each(cases)('random pod #%i (mutations %s)', (_i, _m, pod) => {
    const expected = restrictedViolations(pod, 'pod', { tokenChosen: true }).filter((v) => !IGNORED.test(v));
    const r = load({ ...WEB, extraObjects: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: pod }] });
    if (expected.length) expect(r.error, `accepted despite ${expected.join('; ')}`).toBeDefined();
    else expect(r.error).toBeUndefined();
  });
});

describe('slipway synth with a bad escape hatch', () => {
  beforeAll(() => buildOnce(), 180_000);
  it('exits non-zero, names file:line and the field, and writes nothing', () => {
    const dir = tempDir('escape');
    const file = join(dir, 'web.yaml');
    writeFileSync(file, stringify({ ...WEB, patches: [{ kind: 'Deployment', ops: [{ op: 'add', path: '/spec/template/spec/containers/0/securityContext/privileged', value: true }] }] }));
    const out = join(dir, 'dist');
    const r = slipway(['synth', file, '-o', out]);
    expect(r.status).toBe(2); // an invalid spec (docs/cli.md: exit codes)
    expect(r.stderr).toMatch(/web\.yaml:\d+:\d+: patches\[0\]\.ops\[0\]\.value: makes Deployment\/web leave the security policy/);
    expect(existsSync(out)).toBe(false);
  });
});
