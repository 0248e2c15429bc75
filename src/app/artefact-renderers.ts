/**
 * The artefact renderers of the synth pipeline, wired explicitly (no registration by import side
 * effect): the Helm chart (`<fullname>/chart/<name>/...`) and the image definition
 * (`<fullname>/image/...`). This module imports the renderers; nothing imports back into the
 * pipeline from them, so there is no import cycle.
 */
import type { LoadedService } from '../spec/load';
import type { ChartObjects } from '../render/chart-objects';
import { renderChart } from '../chart/render-chart';
import { renderImage } from '../image/render';
import { environmentOverlays } from './environment-files';

/**
 * A renderer of extra artefacts for a service: relative path (under `<fullname>/`) -> content.
 * `rendered` gives the service's chart-mode render, made once per service and shared.
 */
export type ArtefactRenderer = (svc: LoadedService, rendered: () => ChartObjects) => Record<string, string>;

/** Prefixes every key of a file map. */
function under(prefix: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([path, text]) => [`${prefix}${path}`, text]));
}

/**
 * The Helm chart. An attached sidecar gets none: its container and objects are in its host's chart.
 * With environments, their values files replace the fixed values-dev/values-prod overlays.
 */
export const chartArtefacts: ArtefactRenderer = (svc, rendered) => {
  if (svc.model.sidecarOf) return {};
  const base = renderChart(svc.model, rendered());
  const overlays = environmentOverlays(svc, base);
  return under('chart/', overlays ? renderChart(svc.model, rendered(), overlays) : base);
};

/** The image definition (Dockerfile, docker-bake.hcl, .dockerignore, ...). */
export const imageArtefacts: ArtefactRenderer = (svc) => under('image/', renderImage(svc.model));

/** Every artefact renderer, in output order. */
export const ARTEFACT_RENDERERS: readonly ArtefactRenderer[] = Object.freeze([chartArtefacts, imageArtefacts]);
