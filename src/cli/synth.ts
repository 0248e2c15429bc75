import { join } from 'node:path';
import { expandSpecArgs, display, type SpecSearch } from './inputs';
import { SyncSink } from './outdir';
import { OutputTransaction, forceReplaceFromEnv } from '../outdir/transaction';
import { STATE_FILE } from './synth-state';
import { runPipeline, isBaseManifestPath } from './pipeline';
import { EXIT, UsageError, out, err, plural, printErrors, palette } from './output';
import { IncrementalSynth } from './incremental-synth';
import { inputRootOf, type InputRootOption } from './input-root';
import { progressLine, type Progress } from './progress';
import { checkPushOptions, pushCharts } from './push';

/** Options of `slipway synth`. */
export interface SynthOptions extends Pick<SpecSearch, 'recursive'>, InputRootOption {
  /** Output directory (`-o`). @default $CDK8S_OUTDIR, unless `stdout` */
  readonly output?: string;
  /** Print the manifests as one YAML stream; files are written only with `output`. @default false */
  readonly stdout?: boolean;
  /** Also `helm package` each chart next to it (renders every service). @default false */
  readonly package?: boolean;
  /** Render threads. @default automatic: from 150 spec files, one per idle CPU, up to 4 */
  readonly jobs?: number;
  /** Render every service even when its files in the output directory are up to date. @default false */
  readonly force?: boolean;
  /**
   * Replace a non-empty output directory that Slipway's marker does not show it wrote (or that
   * holds files the marker does not list). Never lifts the guards (specs, working directory, home, git).
   * @default false, unless SLIPWAY_FORCE_REPLACE=1
   */
  readonly forceReplace?: boolean;
  /** No progress line (there is one only when stderr is a terminal). @default false */
  readonly quiet?: boolean;
  /** After `--package`, `helm push` each archive to this OCI repository (`oci://host/path`). @default none */
  readonly push?: string;
  /** Push over plain HTTP (a local registry). @default false */
  readonly plainHttp?: boolean;
}

/**
 * `slipway synth <specs...> -o <outdir>`: manifests, chart and image definition of every service,
 * written atomically (the output directory changes only when everything succeeded; see src/outdir/transaction.ts).
 * Services whose input and files did not change since the last synth into `outdir` are reused,
 * not rendered again (see incremental-synth.ts; `--force` renders all).
 * `--stdout` prints the manifests as one YAML stream (and writes nothing unless `-o` is given).
 */
export async function synthCommand(specs: string[], opts: SynthOptions): Promise<number> {
  const outdir = opts.output ?? (opts.stdout ? undefined : process.env.CDK8S_OUTDIR || undefined);
  if (!outdir && !opts.stdout) throw new UsageError('synth needs -o <outdir> (or --stdout)');
  if (opts.package && !outdir) throw new UsageError('--package needs -o <outdir>: the chart archives are written next to each chart');
  checkPushOptions(opts);
  const inputRoot = inputRootOf(opts);
  const files = expandSpecArgs(specs, { recursive: opts.recursive, exclude: outdir });
  // Guards on real paths, the lock, recovery of a killed run, proof of ownership (src/outdir/transaction.ts).
  const tx = outdir ? OutputTransaction.open(outdir, { inputs: files, forceReplace: opts.forceReplace || forceReplaceFromEnv() }) : undefined;
  // With -o only, workers write straight into the temporary directory; with --stdout the content comes back.
  const tmp = tx?.tmp;
  const progress = progressLine(process.stderr, opts.quiet);
  try {
    // Chart archives are not part of a service's recorded files: --package renders every service.
    // A directory replaced by force is not Slipway's: nothing in it is reused.
    const incremental = tx ? new IncrementalSynth(tx.real, { force: opts.force || opts.package || tx.previous.replaceAll }) : undefined;
    const result = await runPipeline(files, {
      artefacts: Boolean(outdir),
      writeTo: opts.stdout ? undefined : tmp,
      jobs: opts.jobs,
      inputRoot,
    }, incremental?.select, progress);
    progress?.done();
    if (result.findings.length) {
      tx?.abort();
      printErrors(result.findings);
      return EXIT.USAGE;
    }
    if (tmp && opts.stdout) {
      const sink = new SyncSink(tmp);
      for (const [path, content] of result.files) sink.write(path, content);
    }
    const renderedFiles = result.files.size;
    const done = tmp && incremental ? incremental.complete(tmp, result, opts.stdout ? result.files : undefined) : { reused: new Set<string>(), reusedFiles: 0, keptFiles: [], upToDate: false };
    const fileCount = renderedFiles + done.reusedFiles;
    if (tmp && tx) (require('./chart-version-warning') as typeof import('./chart-version-warning')).warnStaleChartVersions(tx.real, tmp, result.files.keys());
    const archives = tmp && opts.package ? packageCharts(tmp, [...result.files.keys()], progress) : [];
    // Pushed before the output directory is replaced: a failed push leaves it as it was.
    const pushed = opts.push ? pushCharts(archives, opts.push, { plainHttp: opts.plainHttp }, progress) : [];
    progress?.done();
    const upToDate = done.upToDate && Boolean(tx?.holdsExactly([...done.keptFiles, STATE_FILE]));
    if (upToDate) tx?.abort();
    else tx?.commit(done.reused, done.keptFiles);
    if (opts.stdout) {
      process.stdout.write(manifestStream(result.files));
    }
    if (outdir) {
      const p = palette(opts.stdout ? process.stderr : process.stdout);
      const n = done.reused.size;
      const reused = upToDate ? ', all up to date' : n ? `, ${plural(n, 'unchanged service')} reused` : '';
      const summary = `${p.green('synthesized')} ${plural(result.services.length, 'service')} (${plural(fileCount + archives.length, 'file')}${reused}) into ${display(outdir)}`;
      if (opts.stdout) err(summary);
      else out(summary);
      for (const ref of pushed) (opts.stdout ? err : out)(`${p.green('pushed')} ${ref}`);
    }
    return EXIT.OK;
  } catch (e) {
    progress?.done();
    tx?.abort();
    throw e;
  }
}

/**
 * The manifests as one YAML stream: each non-empty manifests file's content, in path order,
 * separated by `---` lines (what an Argo CD Config Management Plugin's `generate` command prints).
 */
export function manifestStream(files: ReadonlyMap<string, string>): string {
  const docs = [...files.keys()].filter(isBaseManifestPath).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((p) => files.get(p)!);
  // A service without objects (e.g. a sidecar rendered into its host) has an empty file: no document.
  return docs.filter((d) => d !== '').map((d) => (d.endsWith('\n') ? d : `${d}\n`)).join('---\n');
}

/**
 * `--package`: `helm package` for each written chart, the archive next to the chart
 * (`<fullname>/chart/<name>-<version>.tgz`), using the chart package's packaging function.
 */
function packageCharts(tmp: string, paths: readonly string[], progress?: Progress): string[] {
  const packager = loadPackager();
  if (!packager) {
    err(palette(process.stderr).yellow('note: --package skipped: this build has no chart packaging function (src/chart)'));
    return [];
  }
  const charts = [...new Set(paths.map((p) => /^([^/]+\/chart\/[^/]+)\/Chart\.yaml$/.exec(p)?.[1]).filter((c): c is string => Boolean(c)))];
  progress?.phase('packaging charts', charts.length);
  try {
    return charts.map((chart) => { const a = packager(join(tmp, chart), join(tmp, chart, '..')); progress?.tick(); return a; });
  } catch (e) {
    // helm missing: a usage problem in plain words (exit 2, nothing written), not an internal error.
    if ((e as Error).name === 'ToolMissingError') throw new UsageError((e as Error).message);
    throw e;
  }
}

/** The chart package's `packageChart(dir, outDir)`, when this build has one. */
function loadPackager(): ((dir: string, outDir: string) => string) | undefined {
  try {
    const mod = require('../chart/package') as { packageChart?: (dir: string, outDir: string) => string };
    return typeof mod.packageChart === 'function' ? mod.packageChart : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}
