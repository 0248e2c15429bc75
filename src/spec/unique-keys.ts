/**
 * Duplicate map keys, found in linear time. (`yaml`'s own `uniqueKeys` option compares each key
 * with every earlier key of its map: quadratic in the width of a map.)
 */
import { isMap, isPair, isScalar, visit, type Document } from 'yaml';

/** The source offsets of keys that repeat an earlier key of the same map (same scalar value). */
export function duplicateKeyOffsets(doc: Document): number[] {
  const offsets: number[] = [];
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const value = pair.key.value;
        // `yaml` compares with ===: NaN never equals itself.
        if (typeof value === 'number' && Number.isNaN(value)) continue;
        if (seen.has(value)) offsets.push(pair.key.range?.[0] ?? 0);
        else seen.add(value);
      }
    },
  });
  return offsets;
}
