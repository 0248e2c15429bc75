import type { ErrorObject, ValidateFunction } from 'ajv';
import { closest, distance } from 'fastest-levenshtein';
import type { FieldPath } from './errors';
import { nelProblems } from './nel';
import { nonPlainData } from './plain-data';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SCHEMA_DIR = join(__dirname, '..', '..', 'schema');
/** The generated JSON Schema shipped with the package (schema/slipway.schema.json). */
const schemaText = readFileSync(join(SCHEMA_DIR, 'slipway.schema.json'), 'utf8');

/** Ajv options; scripts/gen-schema.mjs precompiles schema/slipway.validator.js with the same ones. */
export const AJV_OPTIONS = { allErrors: true, verbose: true, strict: false, allowUnionTypes: true } as const;

let compiled: ValidateFunction | undefined;

/**
 * The JSON Schema validator, once per process: the precompiled one (ajv standalone code written by
 * `npm run schema`) when it was generated from this schema with these options, else compiled now.
 * Compiling costs ~0.15 s, more than the rest of a one-service synth.
 */
function validator(): ValidateFunction {
  if (!compiled) compiled = precompiled() ?? compile();
  return compiled;
}

function compile(): ValidateFunction {
  const { default: Ajv } = require('ajv') as typeof import('ajv');
  return new Ajv(AJV_OPTIONS).compile(JSON.parse(schemaText));
}

function precompiled(): ValidateFunction | undefined {
  try {
    // A literal path (schema/ is two levels above lib/spec/ and src/spec/), so the bundle (scripts/bundle.mjs)
    // includes the validator and its V8 code cache covers it.
    const mod = require('../../schema/slipway.validator.js') as ValidateFunction & { schemaHash?: string };
    const { createHash } = require('node:crypto') as typeof import('node:crypto');
    const hash = createHash('sha256').update(schemaText).update(JSON.stringify(AJV_OPTIONS)).digest('hex');
    return mod.schemaHash === hash ? mod : undefined;
  } catch {
    return undefined;
  }
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
  const notPlain = nonPlainData(doc);
  if (notPlain.length) return notPlain;
  // Plain data (no cycles) from here on, so the walk ends.
  const nel = nelProblems(doc);
  if (nel.length) return nel;
  const validate = validator();
  if (validate(doc)) return [];
  // anyOf/if repeat their branches' errors; propertyNames repeats the error of the key it names.
  const errors = mergeTypeErrors((validate.errors ?? []).filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'if' && e.keyword !== 'propertyNames'));
  const problems = errors.map(toProblem);
  // Errors under an anyOf branch repeat per branch: keep one per path, deepest paths first.
  const seen = new Set<string>();
  return problems
    .filter((p) => { const k = `${JSON.stringify(p.path)}|${p.message}`; if (seen.has(k)) return false; seen.add(k); return true; })
    .filter((p, _, all) => !all.some((o) => o !== p && o.path.length > p.path.length && JSON.stringify(o.path.slice(0, p.path.length)) === JSON.stringify(p.path) && p.message.startsWith('must be')));
}

/** One type error per field: the branches of a union (`integer` | `string`) each report one, merged into "integer or string". */
function mergeTypeErrors(errors: ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  const typeErrorAt = new Map<string, number>(); // instancePath -> index in out
  for (const e of errors) {
    const i = e.keyword === 'type' ? typeErrorAt.get(e.instancePath) : undefined;
    if (i === undefined) {
      if (e.keyword === 'type') typeErrorAt.set(e.instancePath, out.length);
      out.push(e);
      continue;
    }
    const types = (out[i].params as { type: string }).type.split(' or ');
    const type = (e.params as { type: string }).type;
    if (!types.includes(type)) out[i] = { ...out[i], params: { type: [...types, type].join(' or ') } };
  }
  return out;
}

function toProblem(e: ErrorObject): SchemaProblem {
  const path: (string | number)[] = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  // An error of a map key (propertyNames) names the key: locate the key itself.
  const { propertyName } = e as ErrorObject & { propertyName?: string };
  if (propertyName !== undefined) return { path: [...path, propertyName], atKey: true, message: `key ${patternMessage(e) ?? e.message}` };
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
      return { path, atKey: false, message: `must be ${(e.params as { type: string }).type}${describe(e.data, path)}` };
    case 'enum':
      return { path, atKey: false, message: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}${describe(e.data, path)}` };
    case 'const':
      return { path, atKey: false, message: `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}${describe(e.data, path)}` };
    case 'pattern':
      return { path, atKey: false, message: `${patternMessage(e) ?? e.message}${describe(e.data, path)}` };
    default:
      return { path, atKey: false, message: `${e.message}${describe(e.data, path)}` };
  }
}

/** Each pattern's requirement in words, by pattern (schema/slipway.pattern-messages.json, from `@patternMessage`). */
let patternMessages: Readonly<Record<string, string>> | undefined;

/**
 * A pattern's requirement in words ("must be a Kubernetes quantity such as 100m, 0.5 or 128Mi");
 * undefined for a pattern without one.
 */
function patternMessage(e: ErrorObject): string | undefined {
  if (e.keyword !== 'pattern') return undefined;
  patternMessages ??= JSON.parse(readFileSync(join(SCHEMA_DIR, 'slipway.pattern-messages.json'), 'utf8')) as Record<string, string>;
  const words = patternMessages[(e.params as { pattern: string }).pattern];
  return words === undefined ? undefined : `must be ${words}`;
}

/** What the value was, for a message; a secret's value is described by its type only (messages end up in CI logs). */
function describe(data: unknown, path: FieldPath): string {
  if (data === null || typeof data !== 'object') return isSecretValue(path) ? ` (got a ${typeof data})` : ` (got ${JSON.stringify(data)})`;
  return Array.isArray(data) ? ' (got a list)' : ' (got a map)';
}

/** A path inside `secrets[].inline.values`: the one place where spec values are secret. */
function isSecretValue(path: FieldPath): boolean {
  return path[0] === 'secrets' && path[2] === 'inline' && path[3] === 'values';
}
