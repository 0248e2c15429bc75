import { expandSpecArgs, display, type SpecSearch } from './inputs';
import { readTree } from './outdir';
import { runPipeline } from './pipeline';
import { STATE_FILE } from './synth-state';
import { MARKER } from '../outdir/marker';
import { IncrementalSynth } from './incremental-synth';
import { inputRootOf, type InputRootOption } from './input-root';
import { EXIT, UsageError, out, plural, printErrors, palette, type Palette } from './output';

/** Options of `slipway diff`. */
export interface DiffOptions extends Pick<SpecSearch, 'recursive'>, InputRootOption {
  /** Output directory to compare with (`-o`). @default $CDK8S_OUTDIR */
  readonly output?: string;
  /** List changed files without their diffs. @default false */
  readonly nameOnly?: boolean;
  /** Render threads. @default automatic, as for synth */
  readonly jobs?: number;
}

/** What a synth would change in an output directory. */
export interface TreeChanges {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

/** Chart archives written by `synth --package`, synth's state file and the ownership marker are not part of what synth renders. */
const notRendered = (rel: string) => /\/chart\/[^/]+\.tgz$/.test(rel) || rel === STATE_FILE || rel === MARKER;

/**
 * `slipway diff <specs...> -o <outdir>`: renders in memory and compares with the output directory
 * (services a synth would leave as they are, by its state file, are not rendered: unchanged):
 * added, removed and changed files, with a unified diff of each changed file. Exit 0 when a synth
 * would change nothing, 1 when it would.
 */
export async function diffCommand(specs: string[], opts: DiffOptions): Promise<number> {
  const outdir = opts.output ?? (process.env.CDK8S_OUTDIR || undefined);
  if (!outdir) throw new UsageError('diff needs -o <outdir>: the output directory to compare with');
  const inputRoot = inputRootOf(opts);
  const files = expandSpecArgs(specs, { recursive: opts.recursive, exclude: outdir });
  // Services whose directory a synth would keep (see incremental-synth.ts) are not rendered: unchanged.
  const incremental = new IncrementalSynth(outdir);
  const result = await runPipeline(files, { artefacts: true, jobs: opts.jobs, inputRoot }, incremental.select);
  if (result.findings.length) {
    printErrors(result.findings, 'no diff computed');
    return EXIT.USAGE;
  }
  const unchanged = incremental.reused;
  const current = readTree(outdir, (rel) => notRendered(rel) || unchanged.has(rel.split('/')[0]));
  const changes = compareTrees(current, result.files);
  const p = palette(process.stdout);
  const total = changes.added.length + changes.removed.length + changes.changed.length;
  if (!total) {
    out(`${display(outdir)}: no changes`);
    return EXIT.OK;
  }
  const { createTwoFilesPatch, FILE_HEADERS_ONLY } = require('diff') as typeof import('diff');
  const lines: string[] = [];
  for (const path of changes.removed) lines.push(p.red(`removed: ${path}`));
  for (const path of changes.added) lines.push(p.green(`added:   ${path}`));
  for (const path of changes.changed) lines.push(p.yellow(`changed: ${path}`));
  if (!opts.nameOnly) {
    for (const path of changes.changed) {
      const patch = createTwoFilesPatch(`a/${path}`, `b/${path}`, current.get(path)!, result.files.get(path)!, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY });
      lines.push('', ...colorPatch(patch.replace(/\n$/, ''), p));
    }
  }
  lines.push('', `${display(outdir)}: ${plural(changes.changed.length, 'file')} changed, ${changes.added.length} added, ${changes.removed.length} removed`);
  out(lines.join('\n'));
  return EXIT.FINDINGS;
}

/** Added, removed and changed paths between the current tree and the rendered one (path order). */
export function compareTrees(current: ReadonlyMap<string, string>, next: ReadonlyMap<string, string>): TreeChanges {
  const sorted = (xs: Iterable<string>) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    added: sorted([...next.keys()].filter((k) => !current.has(k))),
    removed: sorted([...current.keys()].filter((k) => !next.has(k))),
    changed: sorted([...next.keys()].filter((k) => current.has(k) && current.get(k) !== next.get(k))),
  };
}

function colorPatch(patch: string, p: Palette): string[] {
  return patch.split('\n').map((l) => {
    if (l.startsWith('+++') || l.startsWith('---')) return p.bold(l);
    if (l.startsWith('@@')) return p.cyan(l);
    if (l.startsWith('+')) return p.green(l);
    if (l.startsWith('-')) return p.red(l);
    return l;
  });
}
