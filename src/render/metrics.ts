import type { Construct } from 'constructs';
import { ServiceMonitor } from '../imports/monitoring.coreos.com';
import { metadata, recordMetadata, selectorLabels, standardLabels, type RenderContext } from './context';
import { seg, type Binding, type Condition } from './recorder';

/** Values key switching between a ServiceMonitor (true) and prometheus.io annotations (false). */
export const SERVICE_MONITOR_KEY = 'metrics.serviceMonitor.enabled';

/** The scrape annotations Prometheus' kubernetes_sd "pod" role conventionally reads. */
export const SCRAPE_ANNOTATIONS = { scrape: 'prometheus.io/scrape', port: 'prometheus.io/port', path: 'prometheus.io/path' } as const;

function declareMetrics(ctx: RenderContext): void {
  const mt = ctx.model.metrics!;
  ctx.rec.declare(SERVICE_MONITOR_KEY, 'Scrape with a ServiceMonitor (Prometheus Operator); false: prometheus.io/* pod annotations instead', mt.mode === 'serviceMonitor');
  ctx.rec.declare('metrics.path', 'Path metrics are served at', mt.path);
}

/**
 * `prometheus.io/scrape|port|path` pod annotations, present when the ServiceMonitor is off
 * (spec `metrics.mode: annotations`; Helm `metrics.serviceMonitor.enabled: false`).
 * `path` is the JSON pointer of the pod template.
 */
export function metricsPodAnnotations(ctx: RenderContext, bs: Binding[], path: string): Record<string, string> {
  const mt = ctx.model.metrics;
  if (!mt) return {};
  declareMetrics(ctx);
  if (mt.mode !== 'annotations' && ctx.mode !== 'chart') return {};
  const port = ctx.model.container.ports.find((p) => p.name === mt.port)!;
  const off: Condition = { key: SERVICE_MONITOR_KEY, negate: true };
  const at = (key: string) => `${path}/metadata/annotations/${seg(key)}`;
  for (const key of Object.values(SCRAPE_ANNOTATIONS)) ctx.rec.when(bs, at(key), off);
  ctx.rec.scalar(bs, at(SCRAPE_ANNOTATIONS.path), 'metrics.path', 'Path metrics are served at');
  return { [SCRAPE_ANNOTATIONS.scrape]: 'true', [SCRAPE_ANNOTATIONS.port]: String(port.containerPort), [SCRAPE_ANNOTATIONS.path]: mt.path };
}

/**
 * A ServiceMonitor (monitoring.coreos.com/v1) scraping the metrics port of the Service
 * (Helm: `metrics.serviceMonitor.enabled`, `metrics.path`, `metrics.interval`, `metrics.serviceMonitor.labels`).
 */
export function renderServiceMonitor(scope: Construct, ctx: RenderContext): void {
  const m = ctx.model;
  const mt = m.metrics;
  if (!mt || m.workload.kind === 'Sidecar') return;
  declareMetrics(ctx);
  // A ServiceMonitor scrapes through the Service: offered only when it exposes the metrics port.
  if (!m.container.ports.some((p) => p.name === mt.port && p.expose)) return;
  const rec = ctx.rec;
  const bs: Binding[] = [];
  recordMetadata(ctx, bs);
  const extraLabels = rec.merge(bs, '/metadata/labels', 'metrics.serviceMonitor.labels', 'Extra labels on the ServiceMonitor (e.g. the `release` label Prometheus selects by)', { ...mt.serviceMonitorLabels }, ctx.mode);
  rec.include(bs, '/spec/selector/matchLabels', 'selectorLabels');
  rec.scalar(bs, '/spec/endpoints/0/path', 'metrics.path', 'Path metrics are served at');
  rec.scalar(bs, '/spec/endpoints/0/interval', 'metrics.interval', 'Scrape interval');
  const obj = new ServiceMonitor(scope, 'service-monitor', {
    metadata: { ...metadata(m), labels: { ...standardLabels(m), ...extraLabels } },
    spec: {
      selector: { matchLabels: selectorLabels(m) },
      endpoints: [{ port: mt.port, path: mt.path, interval: mt.interval }],
    },
  });
  rec.attach(obj, bs);
  rec.toggle(obj, { key: SERVICE_MONITOR_KEY }, 'servicemonitor.yaml');
}
