/**
 * The commit of a new output, crash-safe. Before the first rename, the whole plan is written to
 * `<outdir>.slipway-journal` (written beside and renamed into place, so it is complete or absent):
 * the temporary directory holding the complete new output, the directory the old entries are
 * moved aside to, and each rename. A rename moves a top-level entry aside (`<outdir>/x` ->
 * `<old>/x`) or into place (`<tmp>/x` -> `<outdir>/x`); the marker moves last. Whether a
 * rename happened can be read from the disk alone (`<old>/x` exists; `<tmp>/x` is gone), so
 * after a crash at any instant the next run finishes the plan: the output is then the new one,
 * complete. Only when every rename is done is the journal removed, and the old entries after it.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { join } from 'node:path';
import { crashPoint } from './crash';
import { OutputError } from './errors';
import { MARKER } from './marker';
import { removeAside, removeAsideLater } from './remove';

/** One rename of the plan: a top-level entry moved aside, or moved into place. */
export type Move = readonly ['aside' | 'in', string];

/** A commit plan (the journal's content). */
export interface Plan {
  readonly outdir: string;
  readonly tmp: string;
  readonly old: string;
  /** Delete everything moved aside (--force-replace of a directory Slipway did not own), not just what its marker lists. */
  readonly replaceAll: boolean;
  readonly moves: readonly Move[];
}

/** The journal file of an output directory. */
export function journalPathFor(realOutdir: string): string {
  return `${realOutdir}.slipway-journal`;
}

/**
 * Plans the commit of `tmp` (the complete new output) into the existing `outdir`: the entries in
 * `keep` stay, every other entry is moved aside, every entry of `tmp` moved in (the marker last).
 */
export function planCommit(outdir: string, tmp: string, keep: ReadonlySet<string>, replaceAll: boolean): Plan {
  const order = (a: string, b: string) => Number(a === MARKER) - Number(b === MARKER) || (a < b ? -1 : a > b ? 1 : 0);
  const incoming = readdirSync(tmp).sort(order);
  const present = new Set(readdirSync(outdir));
  const moves: Move[] = [];
  for (const name of [...present].sort()) if (!keep.has(name) && !incoming.includes(name)) moves.push(['aside', name]);
  for (const name of incoming) {
    if (present.has(name)) moves.push(['aside', name]);
    moves.push(['in', name]);
  }
  return { outdir, tmp, old: `${outdir}.slipway-old-${process.pid}`, replaceAll, moves };
}

/** Runs a plan from the start: journal, renames, journal removed, old entries deleted (in the background unless SLIPWAY_SYNC_CLEANUP). */
export function runPlan(plan: Plan): void {
  mkdirSync(plan.old);
  crashPoint();
  const journal = journalPathFor(plan.outdir);
  writeFileSync(`${journal}.new`, `${JSON.stringify(plan)}\n`);
  crashPoint();
  renameSync(`${journal}.new`, journal);
  crashPoint();
  finish(plan, false);
}

/** Whether a move of the plan has happened (read from the disk). */
function done(plan: Plan, [kind, name]: Move): boolean {
  return kind === 'aside' ? existsSync(join(plan.old, name)) : !existsSync(join(plan.tmp, name));
}

/** Completes a journaled plan: the remaining renames, then the journal and the old entries go. */
function finish(plan: Plan, recovering: boolean): void {
  for (const move of plan.moves) {
    if (recovering && done(plan, move)) continue;
    const [kind, name] = move;
    if (kind === 'aside') renameSync(join(plan.outdir, name), join(plan.old, name));
    else renameSync(join(plan.tmp, name), join(plan.outdir, name));
    crashPoint();
  }
  rmSync(plan.tmp, { recursive: true, force: true });
  crashPoint();
  unlinkSync(journalPathFor(plan.outdir));
  crashPoint();
  if (recovering) removeAside(plan.old, plan.replaceAll);
  else removeAsideLater(plan.old, plan.replaceAll);
}

/** Validates a journal read from disk: its paths must be this output directory's own. */
function parsePlan(text: string, outdir: string): Plan | undefined {
  try {
    const p = JSON.parse(text) as Plan;
    const own = (path: unknown, kind: string) => typeof path === 'string' && dirname(path) === dirname(outdir) && new RegExp(`^${escape(basename(outdir))}\\.slipway-${kind}-\\d+$`).test(basename(path));
    if (p.outdir !== outdir || !own(p.tmp, 'tmp') || !own(p.old, 'old') || typeof p.replaceAll !== 'boolean' || !Array.isArray(p.moves)) return undefined;
    if (!p.moves.every((m) => Array.isArray(m) && (m[0] === 'aside' || m[0] === 'in') && typeof m[1] === 'string' && m[1] !== '' && m[1] !== '.' && m[1] !== '..' && !m[1].includes('/'))) return undefined;
    return p;
  } catch {
    return undefined;
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * After a crash: finishes the commit a journal describes (call with the lock held). Returns
 * whether there was one. A journal that is not this directory's own is an error, not acted on.
 */
export function recoverJournal(realOutdir: string): boolean {
  const journal = journalPathFor(realOutdir);
  rmSync(`${journal}.new`, { force: true }); // a plan never started: nothing was renamed
  let text: string;
  try {
    text = readFileSync(journal, 'utf8');
  } catch {
    return false;
  }
  const plan = parsePlan(text, realOutdir);
  if (!plan) throw new OutputError(`${journal} is not a journal Slipway wrote for this output directory, so nothing is done; remove it if no run is active`);
  finish(plan, true);
  return true;
}
