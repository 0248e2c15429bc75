import type { FieldPath } from '../spec/errors';

/** A semantic problem found while resolving a spec, before it is located in a file. */
export interface Problem {
  readonly path: FieldPath;
  readonly message: string;
  /** True when the problem is a map key (locate the key, not its value). @default false */
  readonly atKey?: boolean;
}

/** Collects problems so that one run reports all of them. */
export class Problems {
  private readonly list: Problem[] = [];
  /** Adds a problem; the same problem found twice (e.g. via a shared check) is kept once. */
  add(path: FieldPath, message: string, atKey?: boolean): void {
    if (this.list.some((p) => p.message === message && JSON.stringify(p.path) === JSON.stringify(path))) return;
    this.list.push(atKey ? { path, message, atKey } : { path, message });
  }
  get all(): readonly Problem[] {
    return this.list;
  }
}
