/**
 * Issue 15's new workload shapes, on the rendered objects: capabilities (NET_BIND_SERVICE only),
 * gid 0, hostPath type "", UDP/SCTP ports end to end; the StatefulSet; storage volumes.
 */
import { describe, expect, it } from 'vitest';
import { BASE, render, find, mainContainer } from '../support/render';
import { renderChart } from '../../src/chart/render-chart';
import { loadSpecText } from '../../src/spec/load';
import { exampleServices, objectsOf } from '../support/examples';

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
});
