/** The chart-mode render of a service: every object the chart can produce, with its bindings. */
import { App, Chart, type ApiObject } from 'cdk8s';
import type { ServiceModel } from '../model/types';
import { ServiceResources } from './service-resources';
import type { Recorder } from './recorder';

/** Objects (including those off by default) and the recorder that parameterizes them. */
export interface ChartObjects {
  readonly objects: readonly ApiObject[];
  readonly recorder: Recorder;
}

/** Renders the service in `chart` mode. */
export function renderChartObjects(model: ServiceModel): ChartObjects {
  const app = new App({ outdir: '/nonexistent' });
  const chart = new Chart(app, model.name, { disableResourceNameHashes: true });
  const resources = new ServiceResources(chart, 'service', { model, mode: 'chart' });
  const objects = resources.apiObjects;
  // The objects are final here, and the chart is written from each one's JSON twice (values, then
  // templates) while cdk8s resolves the whole object on every toJson(): resolve once. Frozen, so a
  // reader that changed the shared JSON would fail loudly rather than corrupt the other reader.
  for (const obj of objects) {
    const json = deepFreeze(obj.toJson());
    obj.toJson = () => json;
  }
  return { objects, recorder: resources.recorder };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
