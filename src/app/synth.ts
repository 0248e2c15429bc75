import { mkdirSync, writeFileSync, renameSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { LoadedService } from '../spec/load';
import { manifestObjectsOf, renderManifestObjects, toYamlStream } from './manifests';
import { linkServices } from './link';
import { renderChartObjects, type ChartObjects } from '../render/chart-objects';

/**
 * A renderer of extra artefacts (chart, image) for a service: relative path -> content.
 * `rendered` gives the service's chart-mode render, made once per service and shared.
 */
export type ArtefactRenderer = (svc: LoadedService, rendered: () => ChartObjects) => Record<string, string>;

/** Artefact renderers registered by the chart and image packages (kept pluggable and lazy). */
export const artefactRenderers: ArtefactRenderer[] = [];

/** Options of {@link synthFiles}. */
export interface SynthFilesOptions {
  /**
   * Also the Helm chart and the image definition (loads and registers their renderers).
   * @default false: the renderers registered so far (none, unless `slipway/lib/artefacts` or an
   * earlier call loaded them), so a plain cdk8s app does not load the chart writer
   */
  readonly artefacts?: boolean;
}

/**
 * Everything Slipway writes for these services, as relative path -> content:
 * `<name>/manifests/<name>.k8s.yaml`, plus each artefact renderer's files
 * (`<name>/chart/<chart>/...`, `<name>/image/...`).
 */
export function synthFiles(services: readonly LoadedService[], opts: SynthFilesOptions = {}): Map<string, string> {
  if (opts.artefacts) require('../artefacts');
  const files = new Map<string, string>();
  // Cross-service step: sidecars join their hosts' pods (throws a SpecError on a bad host).
  for (const svc of linkServices(services)) {
    for (const [path, content] of serviceFiles(svc)) files.set(path, content);
  }
  return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The files of one service already linked by {@link linkServices} (the per-service part of
 * {@link synthFiles}; the CLI renders services in parallel chunks with it).
 */
export function serviceFiles(svc: LoadedService): [string, string][] {
  const m = svc.model;
  // With artefacts, one chart-mode render serves the chart and the manifests (projected from it);
  // without, the manifests-mode render is the smaller one.
  let once: ChartObjects | undefined;
  const rendered = () => (once ??= renderChartObjects(m));
  const manifests = () => (artefactRenderers.length ? manifestObjectsOf(rendered()) : renderManifestObjects(m));
  // An attached sidecar's objects are in its host's manifests (see linkServices).
  const files: [string, string][] = m.sidecarOf ? [] : [[`${m.fullname}/manifests/${m.fullname}.k8s.yaml`, toYamlStream(manifests())]];
  for (const render of artefactRenderers) {
    for (const [path, content] of Object.entries(render(svc, rendered))) files.push([`${m.fullname}/${path}`, content]);
  }
  return files;
}

/**
 * Writes files into `outdir` atomically: everything goes to a sibling temporary directory first,
 * which then replaces `outdir`. On any failure the previous `outdir` is left as it was.
 */
export function writeAtomically(outdir: string, files: ReadonlyMap<string, string>): void {
  const target = resolve(outdir);
  const tmp = `${target}.slipway-tmp-${process.pid}`;
  const old = `${target}.slipway-old-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    for (const [rel, content] of files) {
      const full = join(tmp, rel);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    if (!files.size) mkdirSync(tmp, { recursive: true });
    if (existsSync(target)) renameSync(target, old);
    renameSync(tmp, target);
    rmSync(old, { recursive: true, force: true });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(target)) renameSync(old, target);
    throw e;
  }
}

/** Spec files in a directory (`*.yaml`, `*.yml`), sorted. */
export function specFilesIn(dir: string): string[] {
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
}
