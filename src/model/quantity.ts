/** Kubernetes quantities (the subset the spec's Quantity pattern allows), compared by value. */

const SUFFIX: Readonly<Record<string, number>> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40,
};

/** The value of a quantity such as `100m`, `0.5` or `128Mi` in base units, or NaN if it is none. */
export function quantityValue(q: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/.exec(q);
  if (!m) return NaN;
  return Number(m[1]) * SUFFIX[m[2] ?? ''];
}
