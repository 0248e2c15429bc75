import { statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Finding } from '../spec/errors';
import type { LoadedService, LoadOptions } from '../spec/load';
import { fileSink } from './outdir';

/**
 * The synth pipeline as the CLI runs it: spec files -> files of the output directory, in two
 * phases: (1) load (parse, schema, semantic checks) each spec file, (2) after the cross-service
 * link step (sidecars join their hosts), render and serialize each service. Large fleets are
 * split into chunks over worker threads, the main thread taking the first chunk; workers write
 * their files straight into the temporary output directory. The output does not depend on the
 * chunking: each service renders on its own, and paths are sorted.
 */

/** What to produce. */
export interface PipelineOptions {
  /** Also the Helm chart and image definition (else the manifests only). */
  readonly artefacts: boolean;
  /** Write the files under this directory (a temporary output directory) instead of returning their content. */
  readonly writeTo?: string;
  /** Threads to use (1 = the main thread only). @default automatic: 1 below {@link PARALLEL_FROM} spec files */
  readonly jobs?: number;
  /** Directory every file a spec names must be inside (see LoadOptions). @default each spec file's directory */
  readonly inputRoot?: string;
}

/** One rendered service. */
export interface ServiceRef {
  readonly file: string;
  readonly fullname: string;
}

/** The pipeline's result: findings (then no files), or the files in path order. */
export interface PipelineResult {
  readonly findings: Finding[];
  readonly services: ServiceRef[];
  /** Relative path -> content ('' when written to `writeTo`), of the services rendered. */
  readonly files: Map<string, string>;
  /** Fullname -> digest of its directory's files (see synth-state.ts), of the services rendered. */
  readonly digests: Map<string, string>;
}

/** Called on the main thread between linking and rendering: fullnames of services not to render (reused). */
export type SelectReused = (linked: readonly PortableService[]) => Promise<ReadonlySet<string>>;

/** Below this many spec files the pipeline runs on the main thread only (a worker costs ~0.15 s to start). */
export const PARALLEL_FROM = 150;

/** Whether a relative output path is a base manifests file (`<fullname>/manifests/<file>`, no environment). */
export function isBaseManifestPath(path: string): boolean {
  return /^[^/]+\/manifests\/[^/]+$/.test(path);
}

/** Whether a relative output path is a manifests file (`[<env>/]<fullname>/manifests/<file>`). */
export function isManifestPath(path: string): boolean {
  return /^([^/]+\/)?[^/]+\/manifests\/[^/]+$/.test(path);
}

/** A loaded service as it crosses threads (without its `locate` function). */
export type PortableService = Omit<LoadedService, 'locate'>;

/** Phase 1 for a chunk of spec files: every service, or every finding. */
export function loadChunk(files: readonly string[], load: LoadOptions = {}): { findings: Finding[]; services: LoadedService[] } {
  const { loadSpecFileWith } = require('../spec/load') as typeof import('../spec/load');
  const { SpecError } = require('../spec/errors') as typeof import('../spec/errors');
  const findings: Finding[] = [];
  const services: LoadedService[] = [];
  for (const file of files) {
    try {
      services.push(...loadSpecFileWith(file, load));
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      findings.push(...e.findings);
    }
  }
  return { findings, services };
}

/** What phase 2 gives back for a chunk: each file (content '' when written) and each service's output digest. */
export interface RenderedChunk {
  readonly files: [string, string][];
  readonly digests: [string, string][];
}

/** Phase 2 for a chunk of linked services: their files, written (resolves when on disk) or returned. */
export async function renderChunk(services: readonly PortableService[], opts: PipelineOptions & { writerThread?: boolean }, onService?: () => void): Promise<RenderedChunk> {
  // Manifests only (--stdout): the chart and image modules are not loaded at all.
  const filesOf: (svc: PortableService) => [string, string][] = opts.artefacts
    ? (require('../app/synth') as typeof import('../app/synth')).serviceFiles
    : (require('../app/manifest-files') as typeof import('../app/manifest-files')).manifestOnlyFiles;
  const { OutputDigest } = require('./synth-state') as typeof import('./synth-state');
  const out: [string, string][] = [];
  const digests: [string, string][] = [];
  const sink = opts.writeTo ? fileSink(opts.writeTo, services.length * (opts.artefacts ? 20 : 1), opts.writerThread ?? false) : undefined;
  let error: unknown;
  try {
    // One service at a time keeps memory flat: its strings live until they are written.
    for (const svc of services) {
      const digest = new OutputDigest();
      const dir = `${svc.model.fullname}/`;
      for (const [path, content] of filesOf(svc)) {
        if (!opts.artefacts && !isManifestPath(path)) continue;
        sink?.write(path, content);
        out.push([path, sink ? '' : content]);
        // A file outside <fullname>/ (an environment's manifests, an Argo CD Application) is digested too,
        // so such a service never matches its directory on disk and is re-rendered, never reused.
        digest.add(path.slice(dir.length), content);
      }
      digests.push([svc.model.fullname, digest.digest()]);
      await sink?.flush();
      onService?.();
    }
  } catch (e) {
    error = e;
  }
  // Always wait for the sink: nothing may still be writing when the caller removes the directory.
  await sink?.finish().catch((e: unknown) => { error ??= e; });
  if (error) throw error;
  return { files: out, digests };
}

/** Threads for `n` spec files: `requested`, else $SLIPWAY_JOBS, else automatic. */
export function jobsFor(n: number, requested?: number): number {
  const env = Number(process.env.SLIPWAY_JOBS);
  const want = requested ?? (Number.isInteger(env) && env > 0 ? env : undefined);
  if (want !== undefined) return Math.max(1, Math.min(want, n));
  if (n < PARALLEL_FROM) return 1;
  // Only idle CPUs help: each thread loads and JIT-compiles the renderers again (~25% more CPU in
  // all), which pays off on free cores and only slows a machine that is busy anyway.
  const idle = Math.round(availableParallelism() - loadavg()[0]);
  return Math.max(1, Math.min(idle, 4, Math.ceil(n / 100)));
}

/** Splits items into at most `k` contiguous chunks of near-equal size. */
export function chunks<T>(items: readonly T[], k: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < k; i++) out.push(items.slice(Math.floor((i * items.length) / k), Math.floor(((i + 1) * items.length) / k)));
  return out.filter((c) => c.length);
}

/** Messages between the main thread and a worker (see worker.ts). */
export type ToWorker = { readonly type: 'render'; readonly services: PortableService[]; readonly opts: PipelineOptions } | { readonly type: 'stop' };
export type FromWorker =
  | { readonly type: 'loaded'; readonly findings: Finding[]; readonly services: PortableService[] }
  | ({ readonly type: 'rendered' } & RenderedChunk)
  | { readonly type: 'error'; readonly error: string };

/** A worker thread driven one phase at a time. */
class ChunkWorker {
  private readonly worker: Worker;
  private pending?: { resolve: (m: FromWorker) => void; reject: (e: Error) => void };
  private queued: FromWorker[] = [];
  private failure?: Error;

  constructor(files: readonly string[], load: LoadOptions) {
    const { Worker: W } = require('node:worker_threads') as typeof import('node:worker_threads');
    // Rendering makes much short-lived garbage and V8 lets an isolate's heap grow far past its live
    // data (~20 MB for 1000 services); a cap keeps two isolates within the memory budget. It grows
    // with the specs (config files inline), which are what stays alive.
    const specBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
    const maxOldGenerationSizeMb = Math.max(96, 64 + Math.ceil((specBytes * 8) / 2 ** 20));
    this.worker = new W(join(__dirname, 'worker.js'), { workerData: { files, load }, resourceLimits: { maxOldGenerationSizeMb } });
    this.worker.on('message', (m: FromWorker) => this.deliver(m));
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => { if (code !== 0) this.fail(new Error(`worker thread exited with code ${code}`)); });
  }

  /** The next message (throws when the worker reported an error). */
  next(): Promise<FromWorker> {
    const m = this.queued.shift();
    if (m) return m.type === 'error' ? Promise.reject(new Error(m.error)) : Promise.resolve(m);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => { this.pending = { resolve, reject }; });
  }

  send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private deliver(m: FromWorker): void {
    const p = this.pending;
    if (!p) { this.queued.push(m); return; }
    this.pending = undefined;
    if (m.type === 'error') p.reject(new Error(m.error));
    else p.resolve(m);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(e);
  }
}

/**
 * Runs the pipeline over every spec file; findings of all files come back together.
 * `selectReused` picks services that are not rendered (their files are reused by the caller).
 */
export async function runPipeline(files: readonly string[], opts: PipelineOptions, selectReused?: SelectReused, progress?: import('./progress').Progress): Promise<PipelineResult> {
  const { linkServices } = require('../app/link') as typeof import('../app/link');
  const parts = chunks(files, jobsFor(files.length, opts.jobs));
  const load: LoadOptions = { inputRoot: opts.inputRoot };
  const workers = parts.slice(1).map((part) => new ChunkWorker(part, load));
  try {
    // Phase 1: load, the main thread's chunk while the workers load theirs.
    const mine = loadChunk(parts[0], load);
    const theirs = await settleAll(workers.map((w) => w.next()));
    const loaded = [mine, ...theirs.map((m) => m as Extract<FromWorker, { type: 'loaded' }>)];
    const findings = loaded.flatMap((l) => l.findings);
    const all: PortableService[] = loaded.flatMap((l) => l.services);
    const services = all.map((s) => ({ file: s.file, fullname: s.model.fullname }));
    findings.push(...duplicateFindings(services));
    if (findings.length) return { findings, services, files: new Map(), digests: new Map() };
    let linked: PortableService[];
    try {
      linked = linkServices(all as LoadedService[]);
    } catch (e) {
      // A link problem is an input error like a load finding. Services from workers carry no
      // `locate`: relink them loaded here to locate it precisely (error path only).
      let error = e;
      if (workers.length) {
        try {
          linkServices(loadChunk(files, load).services);
        } catch (located) {
          error = located;
        }
      }
      const { SpecError } = require('../spec/errors') as typeof import('../spec/errors');
      if (!(error instanceof SpecError)) throw error;
      return { findings: [...error.findings], services, files: new Map(), digests: new Map() };
    }
    // Environments whose overrides no values file can express are input errors too (located again here when from workers).
    // (Only services with environments are checked: without any, the chart modules are not loaded for it.)
    const environmentFindings = (s: readonly LoadedService[]) => (s.some((svc) => svc.environments?.length)
      ? (require('../app/environment-files') as typeof import('../app/environment-files')).environmentFindings(s) : []);
    let envFindings = environmentFindings(linked as LoadedService[]);
    if (envFindings.length && workers.length) envFindings = environmentFindings(linkServices(loadChunk(files, load).services));
    if (envFindings.length) return { findings: envFindings, services, files: new Map(), digests: new Map() };
    // Phase 2: each thread renders the services it loaded (with any sidecars attached), but reused ones.
    const reused = (await selectReused?.(linked)) ?? new Set<string>();
    const toRender = (from: number, to: number) => linked.slice(from, to).filter((s) => !reused.has(s.model.fullname));
    const bounds = loaded.reduce<number[]>((acc, l) => [...acc, acc[acc.length - 1] + l.services.length], [0]);
    const theirParts = workers.map((_w, i) => toRender(bounds[i + 1], bounds[i + 2]));
    const ownPart = toRender(0, bounds[1]);
    progress?.phase('rendering services', ownPart.length + theirParts.reduce((n, p) => n + p.length, 0));
    workers.forEach((w, i) => w.send({ type: 'render', services: theirParts[i], opts }));
    // A worker reports once, when its chunk is done.
    const theirResults = workers.map((w, i) => w.next().then((m) => { progress?.tick(theirParts[i].length); return m; }));
    let own: RenderedChunk = { files: [], digests: [] };
    let ownError: unknown;
    try {
      // Alone, this thread hands writing to a writer thread; with workers, every thread writes its own files.
      own = await renderChunk(ownPart, { ...opts, writerThread: workers.length === 0 }, () => progress?.tick());
    } catch (e) {
      ownError = e;
    }
    // Wait for every worker even when this thread failed, so none is writing when the caller cleans up.
    const rendered = await settleAll(theirResults);
    if (ownError) throw ownError;
    const chunks = [own, ...rendered.map((m) => m as Extract<FromWorker, { type: 'rendered' }>)];
    const entries = chunks.flatMap((c) => c.files);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { findings, services, files: new Map(entries), digests: new Map(chunks.flatMap((c) => c.digests)) };
  } finally {
    for (const w of workers) w.send({ type: 'stop' });
  }
}

/** Awaits every promise (so no worker is still writing), then throws the first failure. */
async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** Two services from different files that would write the same output directory. */
export function duplicateFindings(services: readonly ServiceRef[]): Finding[] {
  const first = new Map<string, ServiceRef>();
  const findings: Finding[] = [];
  for (const s of services) {
    const seen = first.get(s.fullname);
    if (!seen) first.set(s.fullname, s);
    else if (seen.file !== s.file) findings.push({ ...locateName(s), message: `renders as "${s.fullname}", as a service in ${seen.file} does: give one a different name or instance` });
  }
  return findings;
}

/** The `name` field of a service, located in its file (read again: this is the error path). */
function locateName(ref: ServiceRef): Finding {
  const { loadSpecFile } = require('../spec/load') as typeof import('../spec/load');
  const unlocated = { file: ref.file, path: 'name', message: '' };
  try {
    return loadSpecFile(ref.file).find((svc) => svc.model.fullname === ref.fullname)?.locate?.(['name']) ?? unlocated;
  } catch {
    return unlocated;
  }
}
