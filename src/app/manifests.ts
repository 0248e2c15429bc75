import { App, Chart } from 'cdk8s';
import { toYaml } from '../chart/yaml-out';
import type { ServiceModel } from '../model/types';
import { ServiceResources } from '../render/service-resources';

/** The plain manifests of a service: the objects of the default render, in a stable order. */
export function renderManifestObjects(model: ServiceModel): Record<string, unknown>[] {
  const app = new App({ outdir: '/nonexistent' });
  const chart = new Chart(app, model.name, { disableResourceNameHashes: true });
  new ServiceResources(chart, 'service', { model, mode: 'manifests' });
  return chart.toJson();
}

/**
 * Serializes objects as a multi-document YAML stream (deterministic). Strings a YAML 1.1 reader
 * (kubectl, Argo CD, Helm: sigs.k8s.io/yaml) would take for a bool or number (`on`, `yes`, `0o14`)
 * are double-quoted, as in the chart; multi-line strings are literal blocks.
 */
export function toYamlStream(objects: readonly unknown[]): string {
  return objects.map((o) => toYaml(o, { blockScalars: true })).join('---\n');
}
