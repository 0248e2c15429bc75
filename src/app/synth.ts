import { mkdirSync, writeFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OutputTransaction, type OutputOptions } from '../outdir/transaction';
import { MARKER, isSafeRelPath } from '../outdir/marker';
import { asOutputError } from '../outdir/errors';
import type { LoadedService } from '../spec/load';
import { linkServices } from './link';
import { renderChartObjects, type ChartObjects } from '../render/chart-objects';
import { ARTEFACT_RENDERERS, type ArtefactRenderer } from './artefact-renderers';
import { baseManifestFiles, environmentManifestFiles } from './manifest-files';
import { applicationFiles } from '../argocd/application';

export type { ArtefactRenderer } from './artefact-renderers';

/** Options of {@link synthFiles}. */
export interface SynthFilesOptions {
  /**
   * Also the Helm chart and the image definition (else the manifests only).
   * @default true: all three artefacts
   */
  readonly artefacts?: boolean;
}

/**
 * Everything Slipway writes for these services, as relative path -> content:
 * `<name>/manifests/<name>.k8s.yaml`, plus each artefact renderer's files
 * (`<name>/chart/<chart>/...`, `<name>/image/...`).
 */
export function synthFiles(services: readonly LoadedService[], opts: SynthFilesOptions = {}): Map<string, string> {
  const renderers = opts.artefacts === false ? [] : ARTEFACT_RENDERERS;
  const files = new Map<string, string>();
  // Cross-service step: sidecars join their hosts' pods (throws a SpecError on a bad host).
  for (const svc of linkServices(services)) {
    for (const [path, content] of serviceFiles(svc, renderers)) files.set(path, content);
  }
  return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The files of one service already linked by {@link linkServices} (the per-service part of
 * {@link synthFiles}; the CLI renders services in parallel chunks with it).
 */
export function serviceFiles(svc: LoadedService, renderers: readonly ArtefactRenderer[] = ARTEFACT_RENDERERS): [string, string][] {
  const m = svc.model;
  // With artefacts, one chart-mode render serves the chart and the manifests (projected from it);
  // without, the manifests-mode render is the smaller one.
  let once: ChartObjects | undefined;
  const rendered = () => (once ??= renderChartObjects(m));
  // An attached sidecar's objects are in its host's manifests (see linkServices).
  const files = baseManifestFiles(svc, renderers.length ? rendered : undefined);
  for (const render of renderers) {
    for (const [path, content] of Object.entries(render(svc, rendered))) files.push([`${m.fullname}/${path}`, content]);
  }
  // Environments: their manifests at `<env>/<fullname>/manifests/` (their values files are in the chart).
  files.push(...environmentManifestFiles(svc));
  // Argo CD Applications (gitops.argocd): `argocd/[<env>/]<fullname>.yaml`.
  files.push(...applicationFiles(svc));
  return files;
}

/** Options of {@link writeAtomically}. */
export interface WriteOptions extends OutputOptions {}

/**
 * Writes files into `outdir` atomically and safely (src/outdir/transaction.ts): everything goes to
 * a sibling temporary directory first, which then replaces `outdir` (crash-safe, under a lock).
 * On any failure the previous `outdir` is left as it was. `outdir` must be new, empty, or written
 * by Slipway (it then carries `.slipway-owned`), unless `forceReplace`; it may never be or contain
 * the inputs, the working or home directory, or a git repository. Refusals and environmental
 * failures throw an OutputError (exit code 2, plain words).
 */
export function writeAtomically(outdir: string, files: ReadonlyMap<string, string>, opts: WriteOptions = {}): void {
  const tx = OutputTransaction.open(outdir, opts);
  try {
    for (const [rel, content] of files) {
      if (!isSafeRelPath(rel) || rel === MARKER) throw new Error(`refusing to write an unsafe output path: ${JSON.stringify(rel)}`);
      const full = join(tx.tmp, rel);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  } catch (e) {
    tx.abort();
    throw asOutputError(e) ?? e;
  }
  tx.commit();
}

/** Spec files in a directory (`*.yaml`, `*.yml`), sorted. */
export function specFilesIn(dir: string): string[] {
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
}
