/** `slipway synth`'s warning when a chart's content changed under an unchanged chart version. */
import { staleChartMessage, staleChartVersions } from '../chart/chart-version';
import { err, palette } from './output';

/** Warns (stderr) for each chart in `paths` whose content in `newDir` differs from `previousDir` under the same version; returns how many. */
export function warnStaleChartVersions(previousDir: string, newDir: string, paths: Iterable<string>): number {
  const stale = staleChartVersions(previousDir, newDir, paths);
  const p = palette(process.stderr);
  for (const s of stale) err(`${p.yellow('warning:')} ${staleChartMessage(s)}`);
  return stale.length;
}
