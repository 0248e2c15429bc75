import type { FieldPath } from '../spec/errors';

/** A semantic problem found while resolving a spec, before it is located in a file. */
export interface Problem {
  readonly path: FieldPath;
  readonly message: string;
}

/** Collects problems so that one run reports all of them. */
export class Problems {
  private readonly list: Problem[] = [];
  add(path: FieldPath, message: string): void {
    this.list.push({ path, message });
  }
  get all(): readonly Problem[] {
    return this.list;
  }
}
