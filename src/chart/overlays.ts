/**
 * values-dev.yaml and values-prod.yaml, for every Deployment service (the Cloud Optimizer story
 * asks for dev/prod values; the spec has no overlay field, so the two overlays are generated from
 * the model for every Deployment rather than declared):
 * - dev: one replica, no HPA, no PodDisruptionBudget (a single pod must stay evictable);
 * - prod: the HPA on with the model's min/max replicas, a PodDisruptionBudget and topology spread.
 * An overlay only sets keys the chart declares.
 */
import type { ServiceModel } from '../model/types';
import type { ValueParam } from './values';
import { toYaml } from './yaml-out';

/** A values overlay: file name, purpose, dotted key -> value. */
export interface Overlay {
  readonly file: string;
  readonly purpose: string;
  readonly values: Readonly<Record<string, unknown>>;
  /**
   * The file's values as nested maps, written as they are (an environment's overlay: keys set to
   * null delete a default, see src/app/environment-files.ts). @default built from `values`
   */
  readonly nested?: Readonly<Record<string, unknown>>;
}

/** The overlays of a service (none unless it is a Deployment). */
export function overlaysOf(m: ServiceModel, given?: readonly Overlay[]): Overlay[] {
  if (given) return [...given];
  if (m.workload.kind !== 'Deployment') return [];
  const a = m.scaling.autoscaling;
  return [
    {
      file: 'values-dev.yaml',
      purpose: 'Development: one replica, no autoscaling, no PodDisruptionBudget',
      values: { replicaCount: 1, 'autoscaling.enabled': false, 'pdb.enabled': false },
    },
    {
      file: 'values-prod.yaml',
      purpose: `Production: autoscaling ${a.minReplicas}-${a.maxReplicas} replicas, a PodDisruptionBudget, pods spread over zones and nodes`,
      values: { 'autoscaling.enabled': true, 'autoscaling.minReplicas': a.minReplicas, 'autoscaling.maxReplicas': a.maxReplicas, 'pdb.enabled': true, 'topologySpread.enabled': true },
    },
  ];
}

/** Overlay files: path -> YAML with nested maps. */
export function overlayFiles(m: ServiceModel, params: readonly ValueParam[], given?: readonly Overlay[]): Record<string, string> {
  const declared = new Set(params.map((p) => p.key));
  const files: Record<string, string> = {};
  for (const o of overlaysOf(m, given)) {
    if (o.nested) {
      files[o.file] = `# ${o.purpose}.\n# helm install ${m.instance} . -f ${o.file}\n${toYaml(o.nested)}`;
      continue;
    }
    const nested: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(o.values)) {
      if (!declared.has(key)) continue;
      const segs = key.split('.');
      let level = nested;
      for (const seg of segs.slice(0, -1)) level = (level[seg] ??= {}) as Record<string, unknown>;
      level[segs[segs.length - 1]] = value;
    }
    files[o.file] = `# ${o.purpose}.\n# helm install ${m.instance} . -f ${o.file}\n${toYaml(nested)}`;
    // chart-testing (`ct lint`, `ct install`) runs once per ci/*-values.yaml: the same overlay there.
    files[ciValuesFile(o.file)] = `# ${o.purpose} (chart-testing runs the chart with each ci/*-values.yaml; same as ../${o.file}).\n${toYaml(nested)}`;
  }
  if (Object.keys(files).length) files['ci/default-values.yaml'] = '# The default values (chart-testing lints and installs once per ci/*-values.yaml).\n{}\n';
  return files;
}

/** `values-dev.yaml` -> `ci/dev-values.yaml`, the name chart-testing looks for. */
export function ciValuesFile(overlay: string): string {
  return `ci/${overlay.replace(/^values-/, '').replace(/\.yaml$/, '')}-values.yaml`;
}
