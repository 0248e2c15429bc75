/** `slipway synth --package --push oci://...`: option checks and the pushes. */
import type { Progress } from './progress';
import { UsageError } from './output';
import type { PushOptions } from '../chart/push';

/** The chart push module, loaded only when --push is given. */
const chartPush = () => require('../chart/push') as typeof import('../chart/push');

/** Refuses push options that cannot work, before anything is rendered. */
export function checkPushOptions(opts: { readonly push?: string; readonly package?: boolean; readonly plainHttp?: boolean }): void {
  if (opts.plainHttp && !opts.push) throw new UsageError('--plain-http only applies with --push');
  if (opts.push === undefined) return;
  if (!opts.package) throw new UsageError('--push needs --package: it pushes the chart archives that --package makes');
  const problem = chartPush().ociUrlProblem(opts.push);
  if (problem) throw new UsageError(problem);
}

/** `helm push` of each archive; returns the pushed references. A missing helm is a usage error in plain words. */
export function pushCharts(archives: readonly string[], url: string, opts: PushOptions, progress?: Progress): string[] {
  progress?.phase('pushing charts', archives.length);
  try {
    return archives.map((a) => { const ref = chartPush().pushChart(a, url, opts); progress?.tick(); return ref; });
  } catch (e) {
    if ((e as Error).name === 'ToolMissingError') throw new UsageError((e as Error).message.replace('--package needs', '--push needs'));
    throw e;
  }
}
