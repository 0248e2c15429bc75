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
  /**
   * Path and message of every problem kept, as one string each: a lookup per problem. (Comparing
   * each new problem with every earlier one cost N² times the message's length: N aliases of one
   * bad string give N problems with the same message; test/hostile/alias-findings.test.ts.)
   */
  private readonly seen = new Set<string>();
  /** Adds a problem; the same problem found twice (e.g. via a shared check) is kept once. */
  add(path: FieldPath, message: string, atKey?: boolean): void {
    const key = `${JSON.stringify(path)}\n${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(atKey ? { path, message, atKey } : { path, message });
  }
  get all(): readonly Problem[] {
    return this.list;
  }
}
