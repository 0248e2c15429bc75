/**
 * `extraObjects`: raw objects added to the output with Slipway's labels, validated strictly
 * (Kubernetes 1.28 schema, CRDs) and held to the security policy unless a named exception for the
 * object allows what it needs; in the chart, one template per object, equal to the manifests.
 */
import { describe, expect, it } from 'vitest';
import { renderOne, errorOf, find, schemaErrors, lineOf, WEB } from './helpers';
import { loadSpecText } from '../../src/spec/load';
import { byKindName, template, writeChart } from '../chart/fixture';
import { renderManifestObjects } from '../../src/app/manifests';
import { helmBinaries } from '../support/helm';

const CM = `extraObjects:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: web-extra, labels: { tier: edge, app.kubernetes.io/component: cache } }
    data: { greeting: hello }
`;

const CRB = `  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata: { name: web-admin }
    roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
    subjects: [{ kind: ServiceAccount, name: web, namespace: apps }]
`;

const POD = (sc: string) => `extraObjects:
  - apiVersion: v1
    kind: Pod
    metadata: { name: debug }
    spec:
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: RuntimeDefault } }
      containers:
        - name: sh
          image: "busybox:1.36"
          securityContext: ${sc}
`;
const RESTRICTED = '{ allowPrivilegeEscalation: false, capabilities: { drop: [ALL] } }';

describe('extraObjects', () => {
  it('adds each object with the standard labels under its own, and no namespace', () => {
    const objects = renderOne(`${WEB}${CM}`);
    const cm = find(objects, 'ConfigMap', 'web-extra');
    expect(cm.data).toEqual({ greeting: 'hello' });
    expect(cm.metadata.namespace).toBeUndefined();
    expect(cm.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/version': '1.2.3',
      'app.kubernetes.io/managed-by': 'slipway', 'app.kubernetes.io/component': 'cache', tier: 'edge',
    });
    expect(schemaErrors(objects)).toEqual([]);
  });

  it('validates strictly against Kubernetes 1.28 and the CRDs, with located errors', () => {
    const spec = `${WEB}extraObjects:
  - { apiVersion: v1, kind: ConfigMap, metadata: { name: a }, dataa: { x: y } }
  - { apiVersion: apps/v1beta1, kind: Deployment, metadata: { name: b } }
  - { apiVersion: example.com/v1, kind: Widget, metadata: { name: c } }
  - { apiVersion: monitoring.coreos.com/v1, kind: ServiceMonitor, metadata: { name: d }, spec: { selector: {}, endpoints: [{ port: http, bogus: 1 }] } }
  - { apiVersion: v1, kind: ConfigMap, metadata: { name: e, namespace: other, labels: { app.kubernetes.io/name: x } } }
  - { apiVersion: v1, kind: Secret, metadata: { name: f }, stringData: { password: hunter2 } }
  - { apiVersion: v1, kind: ConfigMap, metadata: { name: a } }
  - { apiVersion: v1, kind: ConfigMap, metadata: { name: Bad_Name } }
`;
    const err = errorOf(spec)!;
    expect(err).toContain(`x.yaml:${lineOf(spec, 'dataa')}:`);
    expect(err).toMatch(/extraObjects\[0\]\.dataa: is not a field of this object in Kubernetes 1\.28/);
    expect(err).toMatch(/extraObjects\[1\]\.apiVersion: \("apps\/v1beta1"\) does not serve Deployment in Kubernetes 1\.28; use apps\/v1/);
    expect(err).toMatch(/extraObjects\[2\]\.kind: \("Widget" in example\.com\/v1\) is not a kind of Kubernetes 1\.28 or of a CRD/);
    expect(err).toMatch(/extraObjects\[3\]\.spec\.endpoints\[0\]\.bogus: is not a field/);
    expect(err).toMatch(/extraObjects\[4\]\.metadata\.namespace: is set by the release/);
    expect(err).toContain('extraObjects[4].metadata.labels["app.kubernetes.io/name"]: is a label Slipway sets');
    expect(err).toMatch(/extraObjects\[5\]\.stringData: would write secret values into the output/);
    expect(err).toMatch(/extraObjects\[6\]\.metadata\.name: ConfigMap\/a is declared twice/);
    expect(err).toMatch(/extraObjects\[7\]\.metadata\.name: \("Bad_Name"\)/);
  });

  it('refuses a ClusterRoleBinding to cluster-admin unless a named exception for it allows both', () => {
    const err = errorOf(`${WEB}extraObjects:\n${CRB}`)!;
    expect(err).toMatch(/extraObjects\[0\]\.kind: ClusterRoleBinding is cluster-scoped.*allow: \[clusterScoped\], objects: \[ClusterRoleBinding\/web-admin\]/);
    expect(err).toMatch(/extraObjects\[0\]\.roleRef\.name: binds the cluster-admin ClusterRole.*allow: \[clusterAdmin\]/);
    const allowed = `${WEB}security:
  exceptions:
    - { name: break-glass, reason: the operator manages every namespace, allow: [clusterScoped, clusterAdmin], objects: [ClusterRoleBinding/web-admin] }
extraObjects:\n${CRB}`;
    const objects = renderOne(allowed);
    const crb = find(objects, 'ClusterRoleBinding', 'web-admin');
    expect(crb.metadata.annotations['slipway.dev/security-exception.break-glass']).toBe('clusterScoped,clusterAdmin: the operator manages every namespace');
    // The service's own pod is not affected by an exception about objects.
    expect(find(objects, 'Deployment').spec.template.metadata.annotations).toBeUndefined();
    expect(schemaErrors(objects)).toEqual([]);
  });

  it('refuses an exception naming no such object, or allowing what its objects do not need', () => {
    const err = errorOf(`${WEB}security:
  exceptions:
    - { name: stale, reason: left over from an old object, allow: [privileged], objects: [Pod/gone] }
    - { name: extra, reason: more than the binding needs, allow: [clusterScoped, privileged], objects: [ClusterRoleBinding/web-admin] }
    - { name: pod, reason: an object-only allowance on the pod, allow: [clusterAdmin] }
extraObjects:
${CRB.replace('cluster-admin', 'view')}`)!;
    expect(err).toMatch(/security\.exceptions\[0\]\.objects\[0\]: \("Pod\/gone"\) is neither an extraObjects entry nor an object a patch changes/);
    expect(err).toMatch(/security\.exceptions\[1\]\.allow\[1\]: allows privileged, which none of its objects needs/);
    expect(err).not.toMatch(/security\.exceptions\[1\]\.allow\[0\]/);
    expect(err).toMatch(/security\.exceptions\[2\]\.allow\[0\]: \(clusterAdmin\) applies to extra or patched objects only/);
  });

  it('holds pod specs to Pod Security "restricted" unless an exception allows the difference', () => {
    expect(schemaErrors(renderOne(`${WEB}${POD(RESTRICTED)}`))).toEqual([]);
    const err = errorOf(`${WEB}${POD('{ privileged: true, allowPrivilegeEscalation: true, capabilities: { add: [SYS_ADMIN] } }')}`)!;
    expect(err).toMatch(/extraObjects\[0\]\.spec\.containers\[0\]\.securityContext\.privileged: makes container "sh" privileged.*allow: \[privileged\], objects: \[Pod\/debug\]/);
    expect(err).toMatch(/securityContext\.allowPrivilegeEscalation: must be false/);
    expect(err).toMatch(/securityContext\.capabilities\.add\[0\]: adds the capability SYS_ADMIN/);
    const host = `${WEB}security:
  exceptions: [{ name: node-debug, reason: inspects the node's processes, allow: [privileged], objects: [Pod/debug] }]
${POD('{ privileged: true, allowPrivilegeEscalation: true, capabilities: { drop: [ALL] } }')}`;
    expect(find(renderOne(host), 'Pod', 'debug').metadata.annotations['slipway.dev/security-exception.node-debug']).toBe("privileged: inspects the node's processes");
    expect(errorOf(`${WEB}extraObjects:\n  - { apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: { name: all }, rules: [{ apiGroups: ["*"], resources: [pods], verbs: [get] }] }\n`))
      .toMatch(/extraObjects\[0\]\.rules\[0\]\.apiGroups\[0\]: "\*" is a wildcard.*allow: \[rbacWildcard\]/);
  });
});

describe('extraObjects in the chart', () => {
  const [svc] = loadSpecText(`${WEB}${CM}`, 'x.yaml');
  const dir = writeChart(svc.model);
  it.each(helmBinaries().map((b) => [b.name, b] as const))('renders the manifests for the default release and the labels of another (%s)', (_n, bin) => {
    expect(byKindName(template(bin, 'web', dir))).toEqual(byKindName(renderManifestObjects(svc.model)));
    const other = byKindName(template(bin, 'web-b', dir, ['--set', 'commonLabels.team=core']))['ConfigMap/web-extra'];
    expect(other.metadata.labels).toMatchObject({ 'app.kubernetes.io/instance': 'web-b', team: 'core', tier: 'edge', 'app.kubernetes.io/component': 'cache' });
  });
});
