/** One problem found in a spec, located as precisely as the input allows. */
export interface Finding {
  /** Spec file, when the spec came from a file. */
  readonly file?: string;
  /** 1-based line and column of the offending node, when known. */
  readonly line?: number;
  readonly column?: number;
  /** Field path, e.g. `ports[0].containerPort` (empty for the document itself). */
  readonly path: string;
  /** What is wrong and what to change. */
  readonly message: string;
}

/** Formats a finding as `file:line:col: path: message`. */
export function formatFinding(f: Finding): string {
  const where = f.file ? `${f.file}${f.line ? `:${f.line}:${f.column ?? 1}` : ''}: ` : '';
  return `${where}${f.path ? `${f.path}: ` : ''}${f.message}`.replace(/[\x00-\x1f\x7f\u0085\u2028\u2029]/g, visibleControl);
}

/** A control character as `\uXXXX`: a finding stays one line whatever value it quotes. */
function visibleControl(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Thrown when a spec is invalid; carries every finding, in reading order (see inReadingOrder). */
export class SpecError extends Error {
  readonly findings: readonly Finding[];
  constructor(findings: readonly Finding[]) {
    const ordered = inReadingOrder(findings);
    super(ordered.map(formatFinding).join('\n'));
    this.name = 'SpecError';
    this.findings = ordered;
  }
}

/**
 * Findings as a reader meets them: files in the order they first occur, within a file by line and
 * column; findings without a line keep their place after the located ones of their file.
 */
function inReadingOrder(findings: readonly Finding[]): Finding[] {
  const fileRank = new Map<string | undefined, number>();
  for (const f of findings) if (!fileRank.has(f.file)) fileRank.set(f.file, fileRank.size);
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => fileRank.get(a.f.file)! - fileRank.get(b.f.file)! || (a.f.line ?? Infinity) - (b.f.line ?? Infinity) || (a.f.column ?? 0) - (b.f.column ?? 0) || a.i - b.i)
    .map((x) => x.f);
}

/** A field path as segments, e.g. ['ports', 0, 'containerPort']. */
export type FieldPath = readonly (string | number)[];

/** Renders a field path as `ports[0].containerPort`. */
export function formatPath(path: FieldPath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_][\w-]*$/.test(s) ? `${i ? '.' : ''}${s}` : `[${JSON.stringify(s)}]`)).join('');
}
