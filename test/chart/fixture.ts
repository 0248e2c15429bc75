/** Shared helpers of the chart tests: write a chart to a temporary directory and render it with real helm. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { renderChart } from '../../src/chart/render-chart';
import { writeFiles } from '../../src/chart/write';
import { toYaml } from '../../src/chart/yaml-out';
import { resolveService } from '../../src/model/resolve';
import type { ServiceModel } from '../../src/model/types';
import type { LoadedService } from '../../src/spec/load';
import { linkServices } from '../../src/app/link';
import { loadExamples } from '../support/examples';
import { helmOk, type HelmBinary } from '../support/helm';

/** `helm template` needs this: helm 3.10 assumes Kubernetes 1.25 offline, below the chart's kubeVersion. */
export const KUBE_VERSION_ARGS = ['--kube-version', '1.28.0'];

/** Writes the chart of `model` into a new temporary directory; returns the chart directory. */
export function writeChart(model: ServiceModel): string {
  const root = mkdtempSync(join(tmpdir(), 'slipway-chart-'));
  writeFiles(root, renderChart(model));
  return join(root, model.name);
}

/** Writes a values file next to nothing in particular; returns its path. */
export function writeValues(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'slipway-values-')), name);
  writeFileSync(file, text);
  return file;
}

/** Parses a YAML stream as Kubernetes reads it (YAML 1.1), dropping empty documents. */
export function parseStream(text: string): any[] {
  return parseAllDocuments(text, { version: '1.1' })
    .map((d) => {
      if (d.errors.length) throw new Error(`invalid YAML from helm: ${d.errors[0].message}\n${text}`);
      return d.toJS({ maxAliasCount: -1 });
    })
    .filter((o) => o !== null && o !== undefined);
}

/** True for `helm test` hooks, which are not among the default objects. */
export function isTestHook(o: any): boolean {
  return o?.metadata?.annotations?.['helm.sh/hook'] === 'test';
}

/** `helm template <release> <dir> [args]` → objects, test hooks excluded. */
export function template(bin: HelmBinary, release: string, dir: string, args: readonly string[] = []): any[] {
  return parseStream(helmOk(bin, ['template', release, dir, ...KUBE_VERSION_ARGS, ...args])).filter((o) => !isTestHook(o));
}

/** Objects keyed `Kind/name`. */
export function byKindName(objects: readonly any[]): Record<string, any> {
  const out: Record<string, any> = {};
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata?.name}`;
    if (out[key]) throw new Error(`two objects named ${key}`);
    out[key] = o;
  }
  return out;
}

/** The example services as a synth run sees them: sidecars attached to their hosts. */
export function linkedExamples(): LoadedService[] {
  return linkServices(loadExamples());
}

/**
 * The model of a service with another instance (release) name, linked with `run` (the unlinked
 * services of the same synth run) so a host keeps its sidecars.
 */
export function withInstance(svc: LoadedService, instance: string, run: readonly LoadedService[] = [svc]): ServiceModel {
  const { model, problems } = resolveService({ ...svc.spec, instance }, { baseDir: dirname(svc.file) });
  if (!model) throw new Error(problems.all.map((p) => p.message).join('; '));
  const renamed = { ...svc, model };
  const others = run.filter((o) => o.model.fullname !== svc.model.fullname);
  return linkServices([renamed, ...others])[0].model;
}

/** Dotted keys of every on/off switch of the chart (`*.enabled`, `serviceAccount.create`). */
export function toggleKeys(values: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(values).flatMap(([k, v]) => {
    const key = `${prefix}${k}`;
    if (v && typeof v === 'object' && !Array.isArray(v)) return toggleKeys(v as Record<string, unknown>, `${key}.`);
    return typeof v === 'boolean' && (k === 'enabled' || key === 'serviceAccount.create') ? [key] : [];
  });
}

/** A values file setting each dotted key to `value`. */
export function setAll(keys: readonly string[], value: boolean): string {
  const out: Record<string, any> = {};
  for (const key of keys) {
    const segs = key.split('.');
    let level = out;
    for (const s of segs.slice(0, -1)) level = level[s] ??= {};
    level[segs[segs.length - 1]] = value;
  }
  return toYaml(out);
}
