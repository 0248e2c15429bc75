/** RBAC of the service's ServiceAccount: Role/ClusterRole + binding, least privilege, token automount. */
import { describe, expect, it } from 'vitest';
import { find, renderOne, schemaErrors } from './helpers';
import { renderChart } from '../../src/chart';
import { loadSpecText } from '../../src/spec/load';
import { toYamlStream } from '../../src/app/manifests';
import { toolPath } from '../support/tools';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WEB = `name: reader
version: 1.0.0
image: { repository: acme/reader }
ports: [{ name: http, containerPort: 8080 }]
health:
  http: { path: /healthz, port: http }
  readiness: { http: { path: /ready, port: http } }
`;
const RULES = `rbac:
  rules:
    - { apiGroups: [""], resources: [configmaps], verbs: [get, list, watch] }
    - { apiGroups: [apps], resources: [deployments/scale], verbs: [get, patch], resourceNames: [reader-target] }
`;

describe('namespaced RBAC', () => {
  const objects = renderOne(WEB + RULES);

  it('renders a Role with exactly the declared rules and a RoleBinding to the ServiceAccount', () => {
    const role = find(objects, 'Role');
    expect(role.metadata.name).toBe('reader');
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'patch'], resourceNames: ['reader-target'] },
    ]);
    const binding = find(objects, 'RoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'reader' }]);
    expect(find(objects, 'ClusterRole')).toBeUndefined();
  });

  it('mounts the token (rbac turns automount on) and names rbac in the Polaris exemption', () => {
    const deployment = find(objects, 'Deployment');
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(true);
    expect(find(objects, 'ServiceAccount').automountServiceAccountToken).toBe(true);
    expect(deployment.metadata.annotations['slipway.dev/exemption.automountServiceAccountToken']).toMatch(/^rbac is declared in the spec/);
  });

  it('puts Role and RoleBinding in sync wave -1 with the ServiceAccount, and validates strictly', () => {
    for (const kind of ['Role', 'RoleBinding', 'ServiceAccount']) expect(find(objects, kind).metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    expect(schemaErrors(objects)).toEqual([]);
  });

  it('binds an existing ServiceAccount when the spec does not create one', () => {
    const o = renderOne(`${WEB}serviceAccount: { create: false, name: shared-reader }\n${RULES}`);
    expect(find(o, 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'shared-reader' }]);
    expect(find(o, 'ServiceAccount')).toBeUndefined();
  });

  it('renders no RBAC and keeps the token off without rbac', () => {
    const o = renderOne(WEB);
    expect(o.map((x) => x.kind).filter((k) => /Role/.test(k))).toEqual([]);
    expect(find(o, 'Deployment').spec.template.spec.automountServiceAccountToken).toBe(false);
  });
});

describe('cluster-wide RBAC', () => {
  const spec = `${WEB}rbac:
  clusterWide: true
  namespace: tools
  rules: [{ apiGroups: [""], resources: [nodes], verbs: [get, list] }]
`;
  const objects = renderOne(spec);

  it('renders a ClusterRole and ClusterRoleBinding named <namespace>-<fullname>, naming the ServiceAccount with its namespace', () => {
    expect(find(objects, 'ClusterRole').metadata.name).toBe('tools-reader');
    const b = find(objects, 'ClusterRoleBinding');
    expect(b.metadata.name).toBe('tools-reader');
    expect(b.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'tools-reader' });
    expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: 'reader', namespace: 'tools' }]);
    expect(find(objects, 'Role')).toBeUndefined();
    expect(schemaErrors(objects)).toEqual([]);
  });

  it('offers rbac.create, rbac.rules and rbac.namespace as values; the schema refuses wildcards without an exception', () => {
    const files = renderChart(loadSpecText(spec, 'x.yaml')[0].model);
    expect(files['reader/values.yaml']).toMatch(/^rbac:\n(  .*\n)*  create: true\n/m);
    const schema = JSON.parse(files['reader/values.schema.json']);
    const rules = schema.properties.rbac.properties.rules;
    expect(rules.items.additionalProperties).toBe(false);
    expect(rules.items.properties.verbs.items.pattern).toBe('^[^*]*$');
    expect(schema.properties.rbac.properties.namespace.pattern).toBe('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$');
    expect(files['reader/templates/clusterrolebinding.yaml']).toContain('{{- if .Values.rbac.create }}');
  });
});

describe('wildcards by named exception', () => {
  const spec = `${WEB}rbac:
  rules: [{ apiGroups: [batch], resources: ["*"], verbs: [get, list] }]
security:
  exceptions: [{ name: all-batch, reason: lists every batch resource kind for its report, allow: [rbacWildcard] }]
`;
  const objects = renderOne(spec);

  it('renders the wildcard with kube-linter\'s exemption and the exception\'s reason', () => {
    const role = find(objects, 'Role');
    expect(role.rules[0].resources).toEqual(['*']);
    expect(role.metadata.annotations['ignore-check.kube-linter.io/wildcard-in-rules']).toBe('security exception all-batch: lists every batch resource kind for its report');
  });

  it('keeps the pod restricted and opens the chart schema to wildcards', () => {
    // The exception is about the Role, not the pod: it is annotated there, and the pod template carries none.
    expect(find(objects, 'Role').metadata.annotations['slipway.dev/security-exception.all-batch']).toBe('rbacWildcard: lists every batch resource kind for its report');
    expect(Object.keys(find(objects, 'Deployment').spec.template.metadata.annotations ?? {}).filter((k) => k.startsWith('slipway.dev/'))).toEqual([]);
    const schema = JSON.parse(renderChart(loadSpecText(spec, 'x.yaml')[0].model)['reader/values.schema.json']);
    expect(schema.properties.rbac.properties.rules.items.properties.resources.items.pattern).toBe('^.+$');
  });
});

describe('kube-linter\'s RBAC checks (off by default) on the rendered objects', () => {
  const RBAC_CHECKS = 'wildcard-in-rules,access-to-secrets,access-to-create-pods,cluster-admin-role-binding';
  const lint = (objects: any[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-rbac-'));
    const file = join(dir, 'objects.yaml');
    writeFileSync(file, toYamlStream(objects));
    const r = spawnSync(toolPath('kube-linter'), ['lint', '--include', RBAC_CHECKS, '--format', 'json', file], { encoding: 'utf8' });
    return (JSON.parse(r.stdout).Reports ?? []).map((x: any) => `${x.Check}: ${x.Object.K8sObject.GroupVersionKind.Kind}/${x.Object.K8sObject.Name}`);
  };

  it('finds nothing in least-privilege rules, namespaced and cluster-wide', () => {
    expect(lint(renderOne(WEB + RULES))).toEqual([]);
    expect(lint(renderOne(`${WEB}rbac: { clusterWide: true, namespace: ops, rules: [{ apiGroups: [""], resources: [nodes], verbs: [get] }] }\n`))).toEqual([]);
  });

  it('finds nothing in a wildcard allowed by a named exception (annotated), and flags the same Role without the annotation', () => {
    const objects = renderOne(`${WEB}rbac:
  rules: [{ apiGroups: [batch], resources: ["*"], verbs: [get] }]
security:
  exceptions: [{ name: all-batch, reason: lists every batch resource kind for its report, allow: [rbacWildcard] }]
`);
    expect(lint(objects)).toEqual([]);
    const stripped = objects.map((o) => (o.kind === 'Role' ? { ...o, metadata: { ...o.metadata, annotations: {} } } : o));
    expect(lint(stripped)).toEqual(['wildcard-in-rules: Role/reader']);
  });
});
