/**
 * U+0085 (NEL) in a spec string is refused: YAML 1.1 readers (go-yaml, so Helm's `fromYaml` and
 * kubectl) take it as a line break, also inside the JSON that the chart's `toJson` writes (Go's
 * encoding/json leaves it raw), and fold it into a space, so the value would not come back exactly.
 * U+2028/U+2029 need no such rule: Go's JSON escapes them and Slipway's YAML writer does too.
 */
import type { FieldPath } from './errors';

/** A spec problem found by walking the data (the shape of a schema problem). */
export interface NelProblem {
  readonly path: FieldPath;
  readonly atKey: boolean;
  readonly message: string;
}

const MESSAGE = 'contains U+0085 (NEL), which YAML readers such as kubectl and Helm take as a line break: remove it';

/** Every string value or map key of `doc` that holds U+0085, with its path. */
export function nelProblems(doc: unknown, path: FieldPath = [], out: NelProblem[] = []): NelProblem[] {
  if (typeof doc === 'string') {
    if (doc.includes('\u0085')) out.push({ path, atKey: false, message: MESSAGE });
  } else if (Array.isArray(doc)) {
    doc.forEach((v, i) => nelProblems(v, [...path, i], out));
  } else if (doc && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      if (k.includes('\u0085')) out.push({ path: [...path, k], atKey: true, message: MESSAGE });
      nelProblems(v, [...path, k], out);
    }
  }
  return out;
}
