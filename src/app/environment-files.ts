/**
 * The files of a service's environments: `<env>/<fullname>/manifests/<fullname>.k8s.yaml` per
 * environment, and the chart's `values-<env>.yaml`, such that `helm template <instance> <chart>
 * -f values-<env>.yaml` renders exactly that environment's manifests (chart ≡ manifests, per
 * environment). An overlay is the difference between the environment's chart values and the
 * base's (a key the environment drops is set to null, which deletes helm's default); it only works
 * when the environment's chart has the same templates as the base chart, which is checked: an
 * override that would change the chart's structure is refused, located at the environment.
 */
import { parse } from 'yaml';
import type { LoadedService } from '../spec/load';
import { SpecError, type Finding } from '../spec/errors';
import type { EnvironmentModel } from '../model/environments';
import { renderChart } from '../chart/render-chart';
import type { Overlay } from '../chart/overlays';
import { renderChartObjects } from '../render/chart-objects';

import { environmentManifestsPath } from './manifest-files';
export { environmentManifestsPath, environmentManifestFiles } from './manifest-files';

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What `over` changes in `base`, as a helm values overlay (maps merged per key, lists and scalars whole; null deletes). */
export function valuesDiff(base: unknown, over: unknown): Record<string, unknown> | undefined {
  if (!isMap(base) || !isMap(over)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of [...new Set([...Object.keys(base), ...Object.keys(over)])]) {
    if (!(key in over)) out[key] = null;
    else if (!(key in base)) out[key] = over[key];
    else if (isMap(base[key]) && isMap(over[key])) {
      const d = valuesDiff(base[key], over[key])!;
      if (Object.keys(d).length) out[key] = d;
    } else if (JSON.stringify(base[key]) !== JSON.stringify(over[key])) out[key] = over[key];
  }
  return out;
}

/** The chart files helm renders objects from (NOTES.txt is shown, not applied). */
function structuralFiles(chart: Record<string, string>, name: string): Map<string, string> {
  const prefix = `${name}/templates/`;
  return new Map(Object.entries(chart).filter(([p]) => p.startsWith(prefix) && p !== `${prefix}NOTES.txt`));
}

/** One environment's overlay, or a located SpecError when its chart's templates differ from the base's. */
function overlayOf(svc: LoadedService, env: EnvironmentModel, baseChart: Record<string, string>): Overlay {
  const m = svc.model;
  const envChart = renderChart(env.model, renderChartObjects(env.model), []);
  const base = structuralFiles(baseChart, m.name);
  const mine = structuralFiles(envChart, m.name);
  const differing = [...new Set([...base.keys(), ...mine.keys()])].filter((p) => base.get(p) !== mine.get(p)).sort();
  if (differing.length) {
    const where = svc.locate?.(['environments', env.name]) ?? { file: svc.file, path: `environments.${env.name}` };
    const sc = env.model.scaling;
    const single = sc.autoscaling.enabled ? sc.autoscaling.minReplicas < 2 : sc.replicas < 2;
    const hint = single ? ' (replicas or autoscaling.minReplicas below 2 adds a checker exemption the base chart has no switch for: use 2 or more, or set it in the base spec too)' : '';
    const message = `changes the chart's structure (${differing.map((p) => p.slice(m.name.length + 1)).join(', ')}), so no values file can express it${hint}: change only what the chart has a value for (replicas, autoscaling, resources, hosts, secret store, image, env), and declare the rest in the base spec`;
    throw new SpecError([{ ...where, message }]);
  }
  const nested = valuesDiff(parse(baseChart[`${m.name}/values.yaml`]), parse(envChart[`${m.name}/values.yaml`])) ?? {};
  return {
    file: `values-${env.name}.yaml`,
    purpose: `Environment "${env.name}" (namespace ${env.namespace}): the same objects as dist/${environmentManifestsPath(env.name, m.fullname)}`,
    values: {},
    nested,
  };
}

/** The chart's overlays for a service's environments (undefined without environments: the fixed ones apply). */
export function environmentOverlays(svc: LoadedService, baseChart: Record<string, string>): Overlay[] | undefined {
  if (!svc.environments?.length) return undefined;
  return svc.environments.map((e) => overlayOf(svc, e, baseChart));
}

/**
 * The problems a synth would find rendering the environments' values files (an override that
 * changes the chart's structure), for `slipway validate`: so that what validate accepts, synth writes.
 */
export function environmentFindings(services: readonly LoadedService[]): Finding[] {
  const findings: Finding[] = [];
  for (const svc of services) {
    if (!svc.environments?.length || svc.model.sidecarOf) continue;
    try {
      environmentOverlays(svc, renderChart(svc.model));
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      findings.push(...e.findings);
    }
  }
  return findings;
}
