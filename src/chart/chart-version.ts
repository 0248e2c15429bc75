/**
 * The chart version rule. The chart version is the spec's `chart.version` (SemVer 2, default
 * 0.1.0), independent of the app `version`. Chart.yaml carries `slipway.dev/content-digest`: the
 * sha256 of every chart file (path and bytes, in path order) and of Chart.yaml itself without its
 * `version` and that annotation. Same inputs, same digest: it depends on nothing but the spec.
 * When a synth writes a chart whose digest differs from the chart already in the output directory
 * while the version is the same, chart-testing's version-increment check (and any chart repository
 * that caches by version) would see two different charts under one version: `slipway synth`
 * warns ({@link staleChartVersions}) and the user bumps `chart.version`.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The annotation that records the content digest in Chart.yaml. */
export const DIGEST_ANNOTATION = 'slipway.dev/content-digest';

/** sha256 of the chart's files (keys relative to the chart directory; Chart.yaml is not among them) and its Chart.yaml object minus version. */
export function chartContentDigest(files: Readonly<Record<string, string>>, chartYamlWithoutVersion: string): string {
  const h = createHash('sha256');
  h.update(`Chart.yaml\0${chartYamlWithoutVersion}\0`);
  for (const k of Object.keys(files).sort()) h.update(`${k}\0${files[k]}\0`);
  return `sha256:${h.digest('hex')}`;
}

/** A chart whose content changed under the same version. */
export interface StaleChartVersion {
  /** Path of the chart directory, relative to the output directory. */
  readonly chart: string;
  readonly version: string;
}

/** `version` and the content digest of a Chart.yaml text (as Slipway writes it), when present. */
export function chartIdentity(chartYaml: string): { version?: string; digest?: string } {
  const version = /^version:\s*"?([^"\n]+)"?\s*$/m.exec(chartYaml)?.[1];
  const digest = new RegExp(`^\\s+${DIGEST_ANNOTATION.replace(/[./]/g, '\\$&')}:\\s*"?(sha256:[a-f0-9]{64})"?\\s*$`, 'm').exec(chartYaml)?.[1];
  return { version, digest };
}

/**
 * Charts among `paths` (output-relative paths; the Chart.yaml files are what counts) whose
 * Chart.yaml in `previousDir` has the same version as in `newDir` and another content digest.
 */
export function staleChartVersions(previousDir: string, newDir: string, paths: Iterable<string>): StaleChartVersion[] {
  const stale: StaleChartVersion[] = [];
  for (const path of paths) {
    if (!/(^|\/)chart\/[^/]+\/Chart\.yaml$/.test(path)) continue;
    const old = join(previousDir, path);
    const fresh = join(newDir, path);
    if (!isFile(old) || !isFile(fresh)) continue; // symlinks are never followed
    const before = chartIdentity(readFileSync(old, 'utf8'));
    const now = chartIdentity(readFileSync(fresh, 'utf8'));
    if (before.version && before.version === now.version && before.digest && now.digest && before.digest !== now.digest) {
      stale.push({ chart: path.replace(/\/Chart\.yaml$/, ''), version: now.version });
    }
  }
  return stale.sort((a, b) => a.chart.localeCompare(b.chart));
}

/** The warning for one stale chart version. */
export function staleChartMessage(s: StaleChartVersion): string {
  return `${s.chart}: the chart's content changed but its version is still ${s.version}: bump chart.version in the spec (chart-testing's version-increment check and chart repositories need a new version for new content; see docs/chart-conventions.md)`;
}

function isFile(p: string): boolean {
  try {
    return lstatSync(p).isFile();
  } catch {
    return false;
  }
}
