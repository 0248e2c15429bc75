/**
 * The manifests files of one service (linked by linkServices): its base manifests and each
 * environment's. `synth --stdout` needs only these; this module does not load the chart and image
 * renderers, so the CLI's manifests-only path does not either (src/cli/pipeline.ts).
 */
import type { LoadedService } from '../spec/load';
import type { ChartObjects } from '../render/chart-objects';
import { manifestObjectsOf, renderManifestObjects, toYamlStream } from './manifests';

/** Path of an environment's manifests, relative to the output directory. */
export function environmentManifestsPath(env: string, fullname: string): string {
  return `${env}/${fullname}/manifests/${fullname}.k8s.yaml`;
}

/** Each environment's manifests: relative path -> content. */
export function environmentManifestFiles(svc: LoadedService): [string, string][] {
  return (svc.environments ?? []).map((e) => [environmentManifestsPath(e.name, svc.model.fullname), toYamlStream(renderManifestObjects(e.model))]);
}

/**
 * The base manifests file (none for an attached sidecar: its objects are in its host's). With
 * `rendered` (the chart-mode render, when a chart is rendered too) they are projected from it;
 * without, the smaller manifests-mode render makes them.
 */
export function baseManifestFiles(svc: LoadedService, rendered?: () => ChartObjects): [string, string][] {
  const m = svc.model;
  if (m.sidecarOf) return [];
  return [[`${m.fullname}/manifests/${m.fullname}.k8s.yaml`, toYamlStream(rendered ? manifestObjectsOf(rendered()) : renderManifestObjects(m))]];
}

/** Base and environment manifests: what `serviceFiles` gives without artefact renderers, minus Argo CD Applications. */
export function manifestOnlyFiles(svc: LoadedService): [string, string][] {
  return [...baseManifestFiles(svc), ...environmentManifestFiles(svc)];
}
