/**
 * `patches`: RFC 6902 operations on generated objects, applied last in the manifests and baked into
 * the chart (chart ≡ manifests holds), re-checked (strict schema, Pod Security "restricted", the
 * objects' identity), every problem located at the operation and the field in its value.
 */
import { describe, expect, it } from 'vitest';
import { renderOne, errorOf, find, schemaErrors, lineOf, WEB } from './helpers';
import { loadSpecText } from '../../src/spec/load';
import { byKindName, template, writeChart } from '../chart/fixture';
import { renderManifestObjects } from '../../src/app/manifests';
import { renderChart } from '../../src/chart/render-chart';
import { helmBinaries } from '../support/helm';

const patch = (ops: string, target = 'kind: Deployment, name: web') => `${WEB}patches:\n  - ${target.includes('\n') ? target : `{ ${target}, ops: [${ops}] }`}\n`;

describe('patches', () => {
  it('applies add, replace and remove last, in order', () => {
    const objects = renderOne(patch([
      '{ op: add, path: /spec/template/spec/containers/0/resources/limits/cpu, value: "2" }',
      '{ op: replace, path: /spec/replicas, value: 5 }',
      '{ op: remove, path: /spec/template/spec/topologySpreadConstraints/1 }',
      '{ op: add, path: /spec/template/spec/containers/0/env, value: [{ name: A, value: "1" }] }',
      '{ op: add, path: /spec/template/spec/containers/0/env/0, value: { name: B, value: "2" } }',
    ].join(', ')));
    const d = find(objects, 'Deployment');
    expect(d.spec.replicas).toBe(5);
    expect(d.spec.template.spec.containers[0].resources.limits.cpu).toBe('2');
    expect(d.spec.template.spec.topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone']);
    expect(d.spec.template.spec.containers[0].env).toEqual([{ name: 'B', value: '2' }, { name: 'A', value: '1' }]);
    expect(schemaErrors(objects)).toEqual([]);
  });

  it('selects the only object of a kind without a name, and asks for a name when there are several', () => {
    expect(find(renderOne(patch('{ op: add, path: /spec/sessionAffinity, value: ClientIP }', 'kind: Service')), 'Service').spec.sessionAffinity).toBe('ClientIP');
    const sts = `${WEB}workload: { kind: StatefulSet }\nreplicas: 1\npatches: [{ kind: Service, ops: [{ op: add, path: /spec/sessionAffinity, value: ClientIP }] }]\n`;
    expect(errorOf(sts)).toMatch(/patches\[0\]\.kind: selects every Service \(Service\/web, Service\/web-headless\): add name to choose one/);
    expect(errorOf(patch('{ op: add, path: /x, value: 1 }', 'kind: Deployment, name: other'))).toMatch(/patches\[0\]\.name: selects Deployment\/other, which this spec does not generate \(generated: .*Deployment\/web/);
  });

  it('refuses an operation that does not apply, at the operation', () => {
    const spec = patch('{ op: replace, path: /spec/minReadySeconds, value: 5 }');
    const err = errorOf(spec)!;
    expect(err).toContain(`x.yaml:${lineOf(spec, 'minReadySeconds')}:`);
    expect(err).toMatch(/patches\[0\]\.ops\[0\]\.path: \("\/spec\/minReadySeconds"\) cannot replace on Deployment\/web: has no field "minReadySeconds" to replace \(fields there: .*replicas/);
    expect(errorOf(patch('{ op: remove, path: /spec/template/spec/containers/3 }'))).toMatch(/index 3 is out of range: the list at that path has 1 item/);
    expect(errorOf(patch('{ op: add, path: /spec/nope/deeper, value: 1 }'))).toMatch(/has no field "nope" at \/spec\/nope/);
    expect(errorOf(patch('{ op: add, path: /spec/replicas }'))).toMatch(/needs a value for "add"/);
    expect(errorOf(patch('{ op: move, path: /spec/replicas }'))).toMatch(/patches\[0\]\.ops\[0\]\.op/);
    expect(errorOf(patch('{ op: add, path: "spec", value: 1 }'))).toMatch(/patches\[0\]\.ops\[0\]\.path: .*JSON pointer/);
  });

  it('refuses a change of identity: apiVersion, kind, name, namespace, selector and selector labels', () => {
    for (const path of ['/metadata/name', '/metadata/namespace', '/kind', '/spec/selector/matchLabels/x', '/spec/template/metadata/labels/app.kubernetes.io~1name', '/metadata']) {
      expect(errorOf(patch(`{ op: add, path: "${path}", value: x }`)), path).toMatch(/patches\[0\]\.ops\[0\]\.path: .* would change .* of Deployment\/web: an object's apiVersion, kind, name, namespace and selector labels are Slipway's/);
    }
  });

  it('re-checks the strict Kubernetes schema, naming the field inside the value', () => {
    const spec = `${WEB}patches:
  - kind: Deployment
    ops:
      - op: add
        path: /spec/template/spec/containers/0/livenessProbe
        value:
          httpGet: { path: /, port: 8080 }
          initialDelay: 5
`;
    const err = errorOf(spec)!;
    expect(err).toContain(`x.yaml:${lineOf(spec, 'initialDelay')}:`);
    expect(err).toMatch(/patches\[0\]\.ops\[0\]\.value\.initialDelay: makes Deployment\/web invalid at \/spec\/template\/spec\/containers\/0\/livenessProbe\/initialDelay: is not a field/);
    expect(errorOf(patch('{ op: replace, path: /spec/replicas, value: many }'))).toMatch(/patches\[0\]\.ops\[0\]\.value: makes Deployment\/web invalid at \/spec\/replicas: must be integer/);
  });

  it('refuses a patch that sets privileged or removes the securityContext, unless an exception names the object', () => {
    const spec = patch('{ op: add, path: /spec/template/spec/containers/0/securityContext/privileged, value: true }');
    const err = errorOf(spec)!;
    expect(err).toContain(`x.yaml:${lineOf(spec, 'privileged')}:`);
    expect(err).toMatch(/patches\[0\]\.ops\[0\]\.value: makes Deployment\/web leave the security policy at \/spec\/template\/spec\/containers\/0\/securityContext\/privileged: makes container "web" privileged .*allow: \[privileged\], objects: \[Deployment\/web\]/);
    const removed = errorOf(patch('{ op: remove, path: /spec/template/spec/containers/0/securityContext }'))!;
    expect(removed).toMatch(/patches\[0\]\.ops\[0\]\.path: .*securityContext\/allowPrivilegeEscalation: must be false in container "web"/);
    expect(removed).toMatch(/capabilities\/drop: must include ALL/);
    const hostNet = errorOf(patch('{ op: add, path: /spec/template/spec/hostNetwork, value: true }'))!;
    expect(hostNet).toMatch(/uses the node's network.*allow: \[hostNetwork\], objects: \[Deployment\/web\]/);
    const allowed = renderOne(`${patch('{ op: add, path: /spec/template/spec/containers/0/securityContext/privileged, value: true }')}security:
  exceptions: [{ name: gpu-driver, reason: loads a kernel module at start, allow: [privileged], objects: [Deployment/web] }]
`);
    const d = find(allowed, 'Deployment');
    expect(d.spec.template.spec.containers[0].securityContext.privileged).toBe(true);
    expect(d.metadata.annotations['slipway.dev/security-exception.gpu-driver']).toBe('privileged: loads a kernel module at start');
  });

  it('does not ask an exception for what the pod already had (a DaemonSet\'s allowed hostPath)', () => {
    const agent = `name: agent\nversion: 1.0.0\nimage: { repository: a/agent }\nworkload: { kind: DaemonSet }
hostPaths: [{ path: /var/log }]
security: { exceptions: [{ name: logs, reason: reads the node's logs, allow: [hostPath] }] }
patches: [{ kind: DaemonSet, ops: [{ op: add, path: /spec/template/spec/volumes/0, value: { name: scratch, emptyDir: {} } }] }]
`;
    expect(find(renderOne(agent), 'DaemonSet').spec.template.spec.volumes[0].name).toBe('scratch');
  });
});

describe('patches in the chart', () => {
  const spec = patch([
    '{ op: add, path: /spec/template/spec/containers/0/resources/limits/cpu, value: "2" }',
    '{ op: add, path: /spec/template/metadata/annotations, value: { example.com/patched: "{{ .Values.x }}" } }',
    '{ op: remove, path: /spec/template/spec/topologySpreadConstraints/0 }',
  ].join(', ')).replace('patches:', 'podAnnotations: { example.com/owner: edge }\npatches:');
  const [svc] = loadSpecText(spec, 'x.yaml');
  const dir = writeChart(svc.model);
  it.each(helmBinaries().map((b) => [b.name, b] as const))('bakes the patches in: helm template = the manifests (%s)', (_n, bin) => {
    const rendered = byKindName(template(bin, 'web', dir));
    expect(rendered).toEqual(byKindName(renderManifestObjects(svc.model)));
    const d = rendered['Deployment/web'];
    expect(d.spec.template.metadata.annotations).toEqual({ 'example.com/patched': '{{ .Values.x }}' });
    expect(d.spec.template.spec.containers[0].resources.limits.cpu).toBe('2');
  });

  it.each(helmBinaries().map((b) => [b.name, b] as const))('bakes a patch over a field that is off by default (%s)', (_n, bin) => {
    const [off] = loadSpecText(`${WEB}spread: { enabled: false }\npatches: [{ kind: Deployment, ops: [{ op: add, path: /spec/template/spec/topologySpreadConstraints, value: [{ maxSkew: 2, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app.kubernetes.io/name: web } } }] }] }]\n`, 'x.yaml');
    const rendered = byKindName(template(bin, 'web', writeChart(off.model)));
    expect(rendered).toEqual(byKindName(renderManifestObjects(off.model)));
    expect(rendered['Deployment/web'].spec.template.spec.topologySpreadConstraints.map((t: any) => t.maxSkew)).toEqual([2]);
  });

  it('is deterministic: the same spec gives byte-identical chart files', () => {
    const [again] = loadSpecText(spec, 'x.yaml');
    expect(renderChart(again.model)).toEqual(renderChart(svc.model));
  });
});
