import { App, Chart } from 'cdk8s';
import { toYaml } from './fast-yaml';
import type { ServiceModel } from '../model/types';
import { ServiceResources } from '../render/service-resources';

/** The plain manifests of a service: the objects of the default render, in a stable order. */
export function renderManifestObjects(model: ServiceModel): Record<string, unknown>[] {
  const app = new App({ outdir: '/nonexistent' });
  const chart = new Chart(app, model.name, { disableResourceNameHashes: true });
  new ServiceResources(chart, 'service', { model, mode: 'manifests' });
  return chart.toJson();
}

/** Serializes objects as a multi-document YAML stream (deterministic). */
export function toYamlStream(objects: readonly unknown[]): string {
  return objects.map((o) => toYaml(o)).join('---\n');
}
