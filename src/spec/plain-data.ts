/**
 * Spec data must be plain JSON data that cdk8s can render. Three kinds of input parse as YAML but
 * are not: map keys that are JavaScript object internals (`constructor` makes cdk8s' value
 * sanitizer fail, `__proto__` is dropped from the JSON it writes), values of YAML tags that
 * resolve to other JavaScript types (`!!set`, `!!omap`, `!!binary`, `!!timestamp`, ...), and
 * aliases that make a map or list contain itself.
 */
import type { FieldPath } from './errors';
import type { SchemaProblem } from './validate';

/** Keys no spec map may hold (see the module comment). */
const RESERVED_KEYS = new Set(['constructor', '__proto__']);

/** Every reserved key and every value that is not a plain map, list, string, number, boolean or null. */
export function nonPlainData(doc: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const open = new Set<object>(); // the maps and lists being walked: an alias to one of them is a cycle
  const walk = (value: unknown, path: FieldPath) => {
    if (value === null || typeof value !== 'object') return;
    if (open.has(value)) {
      problems.push({ path, atKey: false, message: 'is a YAML alias of a map or list that contains it (a cycle): write the value out' });
      return;
    }
    open.add(value);
    walkInside(value, path);
    open.delete(value);
  };
  const walkInside = (value: object, path: FieldPath) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i]));
      return;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const type = value.constructor?.name ?? 'object';
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
