/**
 * The incremental part of `slipway synth -o <outdir>` (state format and digests: synth-state.ts):
 * before rendering, picks the services whose directory in the previous output can be reused
 * (they stay where they are); after rendering, writes the new state file.
 */
import { join } from 'node:path';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import type { PipelineResult, PortableService, SelectReused } from './pipeline';
import { isManifestPath } from './pipeline';
import { MARKER } from '../outdir/marker';
import { STATE_FILE, digestDirectoriesAside, formatState, inputDigest, parseState, readStateText, rendererFingerprint, reusableServices, type DirectoryDigest, type ServiceStamp, type SynthState } from './synth-state';

/** Options of {@link IncrementalSynth}. */
export interface IncrementalOptions {
  /** Reuse nothing (every service renders); the state file is still written. @default false */
  readonly force?: boolean;
}

/** One incremental synth into `outdir`. */
export class IncrementalSynth {
  private readonly renderer = rendererFingerprint();
  private readonly previous: SynthState | undefined;
  /** The previous state file's text, to tell whether the new one would be the same. */
  private readonly previousText: string | undefined;
  /** The previous output's directories, digested while the specs load (when they can be reused at all). */
  private readonly onDisk?: Promise<Map<string, DirectoryDigest>>;
  private inputs = new Map<string, string>();
  private reusable = new Map<string, string[]>();

  /** Starts reading the previous output in `outdir`: create it before the pipeline runs. */
  constructor(private readonly outdir: string, opts: IncrementalOptions = {}) {
    const text = opts.force ? undefined : readStateText(outdir);
    const previous = text === undefined ? undefined : parseState(text);
    if (!previous || previous.renderer !== this.renderer) return;
    this.previous = previous;
    this.previousText = text;
    const onDisk = digestDirectoriesAside(outdir, [...previous.services.keys()]);
    onDisk.catch(() => undefined); // awaited in select(); not at all when the specs have errors
    this.onDisk = onDisk;
  }

  /** The services not rendered because their directory is up to date (known after the pipeline ran). */
  get reused(): ReadonlySet<string> {
    return new Set(this.reusable.keys());
  }

  /** For runPipeline: fingerprints the linked services and returns those to reuse. */
  readonly select: SelectReused = async (linked: readonly PortableService[]) => {
    this.inputs = new Map(linked.map((s) => [s.model.fullname, inputDigest(s)]));
    if (this.previous && this.onDisk) this.reusable = reusableServices(this.previous, this.inputs, await this.onDisk);
    return new Set(this.reusable.keys());
  };

  /**
   * Completes the new output in the temporary directory `tmp`, which holds the rendered services:
   * writes the state file there and returns the reused service directories, which stay in
   * `outdir` (see src/outdir/journal.ts). When every service was reused and `outdir` holds nothing else,
   * `outdir` already is the new output: `upToDate` (the caller discards `tmp`). `manifests`, when
   * given, receives the reused manifests files (for --stdout).
   */
  complete(tmp: string, result: PipelineResult, manifests?: Map<string, string>): { reused: ReadonlySet<string>; reusedFiles: number; keptFiles: string[]; upToDate: boolean } {
    const stamps = new Map<string, ServiceStamp>();
    for (const fullname of this.reusable.keys()) stamps.set(fullname, this.previous!.services.get(fullname)!);
    for (const [fullname, output] of result.digests) stamps.set(fullname, { input: this.inputs.get(fullname)!, output });
    const state = formatState({ renderer: this.renderer, services: stamps });
    let reusedFiles = 0;
    const keptFiles: string[] = [];
    for (const [fullname, files] of this.reusable) {
      reusedFiles += files.length;
      for (const rel of files) {
        const path = `${fullname}/${rel}`;
        keptFiles.push(path);
        if (manifests && isManifestPath(path)) manifests.set(path, readFileSync(join(this.outdir, path), 'utf8'));
      }
    }
    const upToDate = this.holdsOnly(state);
    // Written even when up to date: the caller commits it after all when the marker is not the expected one.
    writeFileSync(join(tmp, STATE_FILE), state);
    return { reused: this.reused, reusedFiles, keptFiles, upToDate };
  }

  /** Whether `outdir` holds exactly the reused directories, this state file and the marker (nothing rendered, nothing extra). */
  private holdsOnly(state: string): boolean {
    if (!this.previous || this.inputs.size !== this.reusable.size) return false;
    const expected = new Set([STATE_FILE, ...[...this.reusable].filter(([, files]) => files.length).map(([name]) => name)]);
    const present = readdirSync(this.outdir).filter((n) => n !== MARKER);
    if (present.length !== expected.size || !present.every((n) => expected.has(n))) return false;
    return this.previousText === state;
  }
}
