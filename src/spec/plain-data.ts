/**
 * Spec data must be plain JSON data that cdk8s can render. Two kinds of input parse as YAML but
 * are not: map keys that are JavaScript object internals (`constructor` makes cdk8s' value
 * sanitizer fail, `__proto__` is dropped from the JSON it writes), and values of YAML tags that
 * resolve to other JavaScript types (`!!set`, `!!omap`, `!!binary`, `!!timestamp`, ...).
 */
import type { FieldPath } from './errors';
import type { SchemaProblem } from './validate';

/** Keys no spec map may hold (see the module comment). */
const RESERVED_KEYS = new Set(['constructor', '__proto__']);

/** Every reserved key and every value that is not a plain map, list, string, number, boolean or null. */
export function nonPlainData(doc: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const walk = (value: unknown, path: FieldPath) => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i]));
      return;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const type = (value as object).constructor?.name ?? 'object';
      problems.push({ path, atKey: false, message: `must be a plain YAML map, list or scalar (got a ${type}, from a YAML tag such as !!set or !!omap): remove the tag` });
      return;
    }
    for (const key of Object.keys(value)) {
      if (RESERVED_KEYS.has(key)) {
        problems.push({ path: [...path, key], atKey: true, message: `"${key}" cannot be a key: it is a JavaScript object property that cdk8s cannot render; rename it` });
      } else {
        walk((value as Record<string, unknown>)[key], [...path, key]);
      }
    }
  };
  walk(doc, []);
  return problems;
}
