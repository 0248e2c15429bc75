/**
 * Hostile input, class "cost": N aliases of one bad string make N problems with the same message
 * (one per field that uses it). Collecting them compared each new problem with every earlier one
 * (message and path), so the cost grew with N² × the string's length: a 100 KB spec took 54 s of
 * CPU. The same N problems written out need N times the bytes, which the 4 MiB file limit bounds;
 * aliases make them cheap to ask for. Here the cost must grow linearly: loading 8N aliases may take
 * about 8× the time of N (asserted < 24×, room for a busy shared machine; quadratic growth gives
 * ~64×, and gave more than that before the fix), and every problem is still reported once, each at
 * its own field.
 */
import { describe, expect, it } from 'vitest';
import { loadSpecText } from '../../src/spec/load';
import { SpecError } from '../../src/spec/errors';
import { Problems } from '../../src/model/problems';

const BASE = 'apiVersion: slipway.dev/v1alpha1\nname: web\nversion: "1.0.0"\nimage: { repository: acme/web }\n';
/** `n` labels whose value is an alias of one invalid label value (a space, and `chars` long). */
const spec = (n: number, chars: number) =>
  `${BASE}x-bad: &bad "${'v'.repeat(chars)} bad"\nlabels:\n${Array.from({ length: n }, (_, i) => `  k${i}: *bad`).join('\n')}\n`;

/** Fastest of `k` loads of `text`, in ms (the minimum is the least noisy on a shared machine). */
function fastest(text: string, k = 5): number {
  let best = Infinity;
  for (let i = 0; i < k; i++) {
    const t0 = performance.now();
    try {
      loadSpecText(text, 'svc.yaml');
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
    }
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

describe('N aliases of a bad string', () => {
  it('report one problem per field, each located at its own line', () => {
    let err: SpecError | undefined;
    try { loadSpecText(spec(300, 20), 'svc.yaml'); } catch (e) { err = e as SpecError; }
    expect(err).toBeInstanceOf(SpecError);
    const labels = err!.findings.filter((f) => f.path.startsWith('labels.k'));
    expect(labels).toHaveLength(300);
    expect(new Set(labels.map((f) => f.line)).size).toBe(300);
    expect(labels[299]).toMatchObject({ path: 'labels.k299', line: 7 + 299 });
  });

  it('cost time linear in N (8x the aliases: well under 24x the time)', () => {
    const small = spec(125, 4000);
    const large = spec(1000, 4000);
    fastest(small, 1); // warm up
    const ratio = fastest(large) / fastest(small);
    expect(ratio).toBeLessThan(24);
  }, 120_000);
});

describe('Problems', () => {
  it('keeps the same problem once and different ones all, in order', () => {
    const p = new Problems();
    p.add(['a', 0], 'm');
    p.add(['a', 0], 'm');
    p.add(['a', 1], 'm');
    p.add(['a', 0], 'n');
    p.add(['a', 0], 'm', true);
    expect(p.all).toEqual([{ path: ['a', 0], message: 'm' }, { path: ['a', 1], message: 'm' }, { path: ['a', 0], message: 'n' }]);
  });

  it('tells a path segment "0" from the number 0, as before', () => {
    const p = new Problems();
    p.add(['a', '0'], 'm');
    p.add(['a', 0], 'm');
    expect(p.all).toHaveLength(2);
  });
});
