import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import type { FieldPath } from './errors';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The generated JSON Schema shipped with the package (schema/slipway.schema.json). */
const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schema', 'slipway.schema.json'), 'utf8'));

let compiled: ValidateFunction | undefined;

/** The compiled JSON Schema validator (compiled once, lazily). */
function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** A schema violation with its field path (not yet located in a file). */
export interface SchemaProblem {
  readonly path: FieldPath;
  /** True when the path names a key that should not be there (locate the key, not the value). */
  readonly atKey: boolean;
  readonly message: string;
}

/** Validates a document against the spec schema; returns every problem, most specific first. */
export function validateAgainstSchema(doc: unknown): SchemaProblem[] {
  const validate = validator();
  if (validate(doc)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'if');
  const problems = errors.map(toProblem);
  // Errors under an anyOf branch repeat per branch: keep one per path, deepest paths first.
  const seen = new Set<string>();
  return problems
    .filter((p) => { const k = `${JSON.stringify(p.path)}|${p.message}`; if (seen.has(k)) return false; seen.add(k); return true; })
    .filter((p, _, all) => !all.some((o) => o !== p && o.path.length > p.path.length && JSON.stringify(o.path.slice(0, p.path.length)) === JSON.stringify(p.path) && p.message.startsWith('must be')));
}

function toProblem(e: ErrorObject): SchemaProblem {
  const path: (string | number)[] = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      const guess = allowed.length ? closest(key, allowed) : undefined;
      const hint = guess && distance(key, guess) <= Math.max(2, Math.floor(key.length / 3)) ? `; did you mean "${guess}"?` : allowed.length ? ` (allowed: ${allowed.join(', ')})` : '';
      return { path: [...path, key], atKey: true, message: `unknown field${hint}` };
    }
    case 'required':
      return { path, atKey: false, message: `missing required field "${(e.params as { missingProperty: string }).missingProperty}"` };
    case 'type':
      return { path, atKey: false, message: `must be ${(e.params as { type: string }).type}${describe(e.data)}` };
    case 'enum':
      return { path, atKey: false, message: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}${describe(e.data)}` };
    case 'const':
      return { path, atKey: false, message: `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}${describe(e.data)}` };
    default:
      return { path, atKey: false, message: `${e.message}${describe(e.data)}` };
  }
}

function describe(data: unknown): string {
  if (data === null || typeof data !== 'object') return ` (got ${JSON.stringify(data)})`;
  return Array.isArray(data) ? ' (got a list)' : ' (got a map)';
}
