/** `.Values.a.b`, or `(index .Values "a" "b-c")` when a segment is not a Go identifier. */
export function valuesRef(key: string): string {
  const segs = key.split('.');
  if (segs.every((s) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s))) return `.Values.${key}`;
  return `(index .Values ${segs.map((s) => JSON.stringify(s)).join(' ')})`;
}
