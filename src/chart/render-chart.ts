/**
 * The Helm chart of a service, rendered from the same model and the same recorded bindings as the
 * manifests, so that `helm template <instance> <chart>` with default values yields the manifests.
 */
import type { ServiceModel } from '../model/types';
import { renderChartObjects, type ChartObjects } from '../render/chart-objects';
import { chartParams, valuesObject, valuesYaml } from './values';
import { valuesSchema } from './schema';
import { securityOptionsOf } from './security-schema';
import { chartYaml, chartYamlObject, HELMIGNORE } from './chart-meta';
import { chartContentDigest } from './chart-version';
import { toYaml } from './yaml-out';
import { helpersTpl } from './helpers';
import { objectTemplates } from './templates';
import { notesTxt } from './notes';
import { chartTests, testParams } from './chart-tests';
import { overlayFiles, type Overlay } from './overlays';
import { chartReadme } from './readme';

/**
 * Every file of the chart, keyed `<name>/<path>` (e.g. `ghillie/templates/deployment.yaml`),
 * in a stable order. Deterministic: the same model always gives byte-identical files.
 * `rendered`: the model's chart-mode render, when the caller has it already. `overlays`: the
 * values overlays to write instead of the fixed values-dev/values-prod (an environment each).
 */
export function renderChart(model: ServiceModel, rendered: ChartObjects = renderChartObjects(model), overlays?: readonly Overlay[]): Record<string, string> {
  const { objects, recorder } = rendered;
  const rendered0 = chartParams(model, recorder.resolveValues(objects));
  const params = [...rendered0, ...testParams(model, rendered0)];
  const values = valuesObject(params);
  const valuesText = valuesYaml(model, params);
  const files: Record<string, string> = {
    '.helmignore': HELMIGNORE,
    'values.yaml': valuesText,
    'values.schema.json': `${JSON.stringify(valuesSchema(model.name, params, securityOptionsOf(model)), null, 2)}\n`,
    'templates/_helpers.tpl': helpersTpl(model),
    'templates/NOTES.txt': notesTxt(model, params),
    ...objectTemplates(objects, recorder, { chart: model.name, defaults: new Map(params.map((p) => [p.key, p.default])) }),
    ...chartTests(model, params),
    ...overlayFiles(model, params, overlays),
    'README.md': chartReadme(model, valuesText, values, overlays),
  };
  const { version: _version, ...unversioned } = chartYamlObject(model);
  files['Chart.yaml'] = chartYaml(model, chartContentDigest(files, toYaml(unversioned)));
  return Object.fromEntries(Object.keys(files).sort().map((k) => [`${model.name}/${k}`, files[k]]));
}
