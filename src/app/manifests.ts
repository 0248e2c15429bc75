import { App, Chart } from 'cdk8s';
import { toYaml } from '../chart/yaml-out';
import type { ServiceModel } from '../model/types';
import { ServiceResources } from '../render/service-resources';
import type { ChartObjects } from '../render/chart-objects';

/** The plain manifests of a service: the objects of the default render, in a stable order. */
export function renderManifestObjects(model: ServiceModel): Record<string, unknown>[] {
  const app = new App({ outdir: '/nonexistent' });
  const chart = new Chart(app, model.name, { disableResourceNameHashes: true });
  new ServiceResources(chart, 'service', { model, mode: 'manifests' });
  return chart.toJson();
}

/**
 * The same objects as {@link renderManifestObjects}, projected from a chart-mode render (so the
 * synth renders each service once for its manifests and its chart).
 */
export function manifestObjectsOf(rendered: ChartObjects): Record<string, unknown>[] {
  return rendered.objects.map((o) => rendered.recorder.manifestJson(o, o.toJson())).filter((j): j is Record<string, unknown> => j !== undefined);
}

/**
 * Serializes objects as a multi-document YAML stream (deterministic). Strings a YAML 1.1 reader
 * (kubectl, Argo CD, Helm: sigs.k8s.io/yaml) would take for a bool or number (`on`, `yes`, `0o14`)
 * are double-quoted, as in the chart; multi-line strings are literal blocks.
 */
export function toYamlStream(objects: readonly unknown[]): string {
  return objects.map((o) => toYaml(o, { blockScalars: true })).join('---\n');
}
