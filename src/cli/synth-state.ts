/**
 * Incremental synth: a re-synth reuses the files of every service whose input did not change.
 *
 * `slipway synth -o <outdir>` records in `<outdir>/.slipway-state` what produced each service's
 * directory: a fingerprint of the renderer (Slipway's code and the versions of the libraries it
 * renders with), and per service a digest of its input (the resolved, linked service) and of
 * the files it wrote. The next synth into that directory leaves a service's directory as it is
 * instead of rendering it again when all three still match: same renderer, same input, and the
 * files on disk still have the recorded content (a hand edit makes the service render again).
 * The output stays what a full synth writes, byte for byte; only the state file is added, and
 * its content depends only on the inputs and the Slipway build.
 */
import { createHash, hash, type Hash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { readTree } from './outdir';
import { join } from 'node:path';
import type { PortableService } from './pipeline';

/** Name of the state file in the output directory (no .yaml/.json extension: Argo CD and kubectl skip it). */
export const STATE_FILE = '.slipway-state';

const HEADER = '# Written by `slipway synth`: what produced each service directory, so that a re-synth reuses unchanged ones. Safe to delete.';

/** What produced one service directory. */
export interface ServiceStamp {
  /** sha256 of the linked service (spec and resolved model, with any attached sidecars). */
  readonly input: string;
  /** sha256 of the directory's files (see {@link OutputDigest}). */
  readonly output: string;
}

/** The state file's content: the renderer fingerprint and a stamp per service directory. */
export interface SynthState {
  readonly renderer: string;
  readonly services: ReadonlyMap<string, ServiceStamp>;
}

/** The state file text (services in name order: deterministic). */
export function formatState(state: SynthState): string {
  const names = [...state.services.keys()].sort(); // code-unit order
  const lines = [HEADER, `renderer ${state.renderer}`];
  for (const n of names) lines.push(`service ${n} input ${state.services.get(n)!.input} output ${state.services.get(n)!.output}`);
  return `${lines.join('\n')}\n`;
}

/** Reads `<outdir>/.slipway-state`; undefined when absent or not understood (then nothing is reused). */
export function readState(outdir: string): SynthState | undefined {
  const text = readStateText(outdir);
  return text === undefined ? undefined : parseState(text);
}

/** The text of `<outdir>/.slipway-state`, or undefined when there is none. */
export function readStateText(outdir: string): string | undefined {
  try {
    return readFileSync(join(outdir, STATE_FILE), 'utf8');
  } catch {
    return undefined;
  }
}

/** A state file's content; undefined when not understood. */
export function parseState(text: string): SynthState | undefined {
  let renderer: string | undefined;
  const services = new Map<string, ServiceStamp>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const r = /^renderer ([0-9a-f]{64})$/.exec(line);
    const s = /^service (\S+) input ([0-9a-f]{64}) output ([0-9a-f]{64})$/.exec(line);
    if (r) renderer = r[1];
    else if (s) services.set(s[1], { input: s[2], output: s[3] });
    else return undefined;
  }
  return renderer ? { renderer, services } : undefined;
}

/**
 * Fingerprint of the renderer: every compiled module of Slipway (this package's `lib/`, or `src/`
 * when run from source) and the versions of the libraries whose output ends up in the files.
 * Anything else that changes the output goes through the service input.
 */
export function rendererFingerprint(): string {
  const fingerprint = createHash('sha256');
  const root = join(__dirname, '..');
  for (const rel of codeFiles(root)) fingerprint.update(`${rel}\0`).update(readFileSync(join(root, rel))).update('\0');
  for (const dep of ['cdk8s', 'constructs', 'yaml']) {
    fingerprint.update(`${dep}@${(require(`${dep}/package.json`) as { version: string }).version}\0`);
  }
  return fingerprint.digest('hex');
}

function codeFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .map((p) => p.split('\\').join('/'))
    .filter((p) => /\.(js|ts|json)$/.test(p) && !p.endsWith('.d.ts'))
    .sort();
}

/**
 * Digest of a service's input: the spec and the resolved, linked model the renderers get (config
 * files are in it by content). Not the spec file's path, which no renderer reads: the state file
 * does not depend on where the repository is checked out or which directory synth ran from.
 */
export function inputDigest(svc: PortableService): string {
  return hash('sha256', JSON.stringify({ spec: svc.spec, model: svc.model }));
}

/** Accumulates the digest of one service directory from its files (any order). */
export class OutputDigest {
  private readonly files = new Map<string, string>();

  /** Adds a file: its path relative to the service directory and the sha256 of its content. */
  add(rel: string, content: string | Buffer): void {
    this.files.set(rel, hash('sha256', content));
  }

  /** The digest: sha256 over `path NUL sha256 LF` of every file, in path order. */
  digest(): string {
    const all: Hash = createHash('sha256');
    for (const rel of [...this.files.keys()].sort()) all.update(`${rel}\0${this.files.get(rel)}\n`);
    return all.digest('hex');
  }
}

/** A service directory's digest and files (relative paths, in walk order). */
export interface DirectoryDigest {
  readonly digest: string;
  readonly files: string[];
}

/** Digest of a service directory on disk (see readTree), and its files; a missing directory has no files. */
export function digestDirectory(dir: string): DirectoryDigest {
  const digest = new OutputDigest();
  const tree = readTree(dir);
  for (const [rel, content] of tree) digest.add(rel, content);
  return { digest: digest.digest(), files: [...tree.keys()] };
}

/** The digests of the directories `names` under `outdir`. */
export function digestDirectories(outdir: string, names: readonly string[]): Map<string, DirectoryDigest> {
  return new Map(names.map((n) => [n, digestDirectory(join(outdir, n))]));
}

/** From this many directories, {@link digestDirectoriesAside} reads them on a worker thread. */
export const DIGEST_THREAD_FROM = 150;

/**
 * {@link digestDirectories}, for many directories on a worker thread (synth-state-worker.ts), so
 * that reading the previous output overlaps loading the specs on the main thread.
 */
export function digestDirectoriesAside(outdir: string, names: readonly string[]): Promise<Map<string, DirectoryDigest>> {
  if (names.length < DIGEST_THREAD_FROM) return Promise.resolve(digestDirectories(outdir, names));
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'synth-state-worker.js'), { workerData: { outdir, names } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the output digest thread exited with code ${code}`)));
  });
}

/**
 * Services that can be reused: recorded with the same renderer and input, and whose directory
 * on disk still has the recorded digest. Returns fullname -> the directory's files.
 */
export function reusableServices(state: SynthState, inputs: ReadonlyMap<string, string>, onDisk: ReadonlyMap<string, DirectoryDigest>): Map<string, string[]> {
  const reusable = new Map<string, string[]>();
  for (const [fullname, input] of inputs) {
    const stamp = state.services.get(fullname);
    const found = onDisk.get(fullname);
    if (stamp && stamp.input === input && found && found.digest === stamp.output) reusable.set(fullname, found.files);
  }
  return reusable;
}
