/**
 * JSON exactly as Go's encoding/json (and so Helm's `toJson`) writes it: map keys sorted, no
 * spaces, and <, >, &, U+2028, U+2029 escaped. Used so a checksum computed here equals the one
 * the chart computes from its values.
 */
export function goJson(value: unknown): string {
  return JSON.stringify(sortDeep(value))
    .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]));
  }
  return v;
}
