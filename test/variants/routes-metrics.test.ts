/** Gateway API HTTPRoute (alternative to Ingress) and metrics (ServiceMonitor or scrape annotations). */
import { describe, expect, it } from 'vitest';
import { validateCustomResource } from '../support/crd-schema';
import { errorOf, find, lineOf, renderOne, schemaErrors, WEB } from './helpers';

const ROUTED = `${WEB.replace('containerPort: 8080 }', 'containerPort: 8080, servicePort: 80 }')}httpRoute:
  parentRefs: [{ name: public, namespace: gateway-system, sectionName: https }]
  hostnames: [web.example.com]
  paths: [/api, /health]
`;

describe('HTTPRoute', () => {
  it('routes the path prefixes of the hosts to the Service port, from the named Gateway', () => {
    const objects = renderOne(ROUTED);
    const route = find(objects, 'HTTPRoute');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'public', namespace: 'gateway-system', sectionName: 'https' }],
      hostnames: ['web.example.com'],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/api' } }, { path: { type: 'PathPrefix', value: '/health' } }],
        backendRefs: [{ name: 'web', port: 80 }],
      }],
    });
    expect(find(objects, 'Service').spec.ports[0].port).toBe(80);
    expect(validateCustomResource(route)).toEqual([]);
    expect(schemaErrors(objects)).toEqual([]);
  });

  it('is absent when disabled (the chart keeps it behind httpRoute.enabled) and never rendered by default', () => {
    expect(find(renderOne(ROUTED.replace('httpRoute:', 'httpRoute:\n  enabled: false')), 'HTTPRoute')).toBeUndefined();
    expect(find(renderOne(WEB), 'HTTPRoute')).toBeUndefined();
  });

  it('bad input: a route to a port the Service does not expose', () => {
    const spec = `${ROUTED}  port: grpc\n`;
    expect(errorOf(spec)).toBe(`x.yaml:${lineOf(spec, 'port: grpc')}:9: httpRoute.port: "grpc" is not an exposed port (exposed: http)`);
  });
});

const MONITORED = `${WEB.replace('ports: [{ name: http, containerPort: 8080 }]', 'ports: [{ name: http, containerPort: 8080 }, { name: metrics, containerPort: 9090 }]')}metrics:
  port: metrics
  interval: 15s
  serviceMonitorLabels: { release: kube-prometheus-stack }
`;

describe('metrics', () => {
  it('a ServiceMonitor scrapes the metrics port of the Service', () => {
    const objects = renderOne(MONITORED);
    const sm = find(objects, 'ServiceMonitor');
    expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(sm.metadata.labels.release).toBe('kube-prometheus-stack');
    expect(sm.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '15s' }],
    });
    expect(find(objects, 'Service').spec.ports.map((p: any) => p.name)).toContain('metrics');
    expect(find(objects, 'Deployment').spec.template.metadata.annotations?.['prometheus.io/scrape']).toBeUndefined();
    expect(validateCustomResource(sm)).toEqual([]);
    expect(schemaErrors(objects)).toEqual([]);
  });

  it('or prometheus.io annotations on the pod, as the user chooses', () => {
    const objects = renderOne(MONITORED.replace('  interval: 15s\n  serviceMonitorLabels: { release: kube-prometheus-stack }\n', '  mode: annotations\n  path: /internal/metrics\n'));
    expect(find(objects, 'ServiceMonitor')).toBeUndefined();
    expect(find(objects, 'Deployment').spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090', 'prometheus.io/path': '/internal/metrics',
    });
  });

  it('bad input: a ServiceMonitor on a port the Service does not expose, or an undeclared port', () => {
    const hidden = MONITORED.replace('containerPort: 9090 }', 'containerPort: 9090, expose: false }');
    expect(errorOf(hidden)).toBe(`x.yaml:${lineOf(hidden, 'port: metrics')}:9: metrics.port: "metrics" is not exposed on the Service, which a ServiceMonitor scrapes through: set expose: true on the port or use mode: annotations`);
    expect(errorOf(MONITORED.replace('port: metrics', 'port: metric'))).toContain('metrics.port: "metric" is not a declared port (declared: http, metrics)');
  });
});
