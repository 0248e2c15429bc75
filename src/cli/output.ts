/** Output helpers shared by the commands: exit codes, colour, findings. Loads nothing heavy. */
import { formatFinding, type Finding } from '../spec/errors';

/** Exit codes of every command (documented in docs/cli.md and `slipway --help`). */
export const EXIT = {
  /** Success: nothing to report. */
  OK: 0,
  /** Findings (validate) or changes (diff). */
  FINDINGS: 1,
  /** Usage or input error: bad arguments, unreadable or invalid spec files. Nothing was written. */
  USAGE: 2,
  /** Unexpected failure (a bug, or an external tool such as helm failing). */
  INTERNAL: 3,
} as const;

/** A usage or input problem: reported as one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A colour function, or the identity when colour is off. */
export type Paint = (s: string) => string;

/** ANSI colours for one stream: off unless it is a TTY, and off whenever NO_COLOR is set. */
export interface Palette {
  readonly red: Paint;
  readonly yellow: Paint;
  readonly green: Paint;
  readonly cyan: Paint;
  readonly bold: Paint;
  readonly dim: Paint;
}

/** Whether to colour output written to `stream` (NO_COLOR wins; FORCE_COLOR forces it on). */
export function useColor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/** The palette for a stream. */
export function palette(stream: NodeJS.WriteStream): Palette {
  const on = useColor(stream);
  const sgr = (open: number, close: number): Paint => (on ? (s) => `\u001b[${open}m${s}\u001b[${close}m` : (s) => s);
  return { red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), cyan: sgr(36, 39), bold: sgr(1, 22), dim: sgr(2, 22) };
}

/** Writes lines to stdout. */
export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
}

/** Writes lines to stderr. */
export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
}

/** `n thing` / `n things`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Prints spec errors to stderr, one `file:line:col: field: message` line each. */
export function printErrors(findings: readonly Finding[], trailer = 'nothing was written'): void {
  const p = palette(process.stderr);
  for (const f of findings) err(paintLocation(formatFinding(f), f, p, p.red));
  err(p.red(`${plural(findings.length, 'error')}${trailer ? `: ${trailer}` : ''}`));
}

/** The `file:line:col:` prefix of a finding ('' without a file). */
export function locationOf(f: Finding): string {
  return f.file ? `${f.file}${f.line ? `:${f.line}:${f.column ?? 1}` : ''}:` : '';
}

/** Colours the `file:line:col:` prefix of a formatted finding. */
export function paintLocation(line: string, f: Finding, p: Palette, color: Paint): string {
  const at = locationOf(f);
  return at && line.startsWith(at) ? `${color(p.bold(at))}${line.slice(at.length)}` : line;
}

/** Prints policy warnings to stderr: `file:line:col: warning: field: message [rule]`. */
export function printWarnings(warnings: readonly (Finding & { rule: string })[]): void {
  const p = palette(process.stderr);
  for (const w of warnings) {
    const at = locationOf(w);
    err(`${at ? `${p.yellow(p.bold(at))} ` : ''}${p.yellow('warning:')} ${w.path ? `${w.path}: ` : ''}${w.message} ${p.dim(`[${w.rule}]`)}`);
  }
}
