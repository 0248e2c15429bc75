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
  return `${where}${f.path ? `${f.path}: ` : ''}${f.message}`;
}

/** Thrown when a spec is invalid; carries every finding. */
export class SpecError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(findings.map(formatFinding).join('\n'));
    this.name = 'SpecError';
  }
}

/** A field path as segments, e.g. ['ports', 0, 'containerPort']. */
export type FieldPath = readonly (string | number)[];

/** Renders a field path as `ports[0].containerPort`. */
export function formatPath(path: FieldPath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_][\w-]*$/.test(s) ? `${i ? '.' : ''}${s}` : `[${JSON.stringify(s)}]`)).join('');
}
