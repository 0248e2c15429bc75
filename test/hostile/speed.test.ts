/**
 * Hostile input, class "cost": YAML aliases must cost time linear in the size of a spec. `yaml`'s
 * own alias resolution (`Alias.prototype.resolve`, called once per alias by `doc.toJS()`) scans
 * every anchored node and alias before the alias: with up to 1000 aliases (the limit) behind
 * hundreds of thousands of anchors that is ~10^9 steps for a 4 MiB spec. The loader resolves each
 * alias from the anchor the linear alias pass (src/spec/aliases.ts) already found, so `yaml`'s
 * resolver must never run: the work bound below is "zero calls to it", and the timing ratio
 * against the same spec with the aliases written out is a loose second check.
 *
 * Each corpus case is a spec built from a size; SLIPWAY_FUZZ_CASES adds seeded random shapes
 * (default 4; seed SLIPWAY_FUZZ_SEED).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Alias } from 'yaml';
import { loadSpecText } from '../../src/spec/load';
import { SpecError } from '../../src/spec/errors';
import { LIMITS } from '../../src/spec/limits';
import { rng } from '../support/random-spec';

const BASE = 'name: web\nversion: "1.0.0"\nimage: { repository: acme/web }\n';
const SEED = Number(process.env.SLIPWAY_FUZZ_SEED ?? 20261205);
const FUZZ_CASES = Number(process.env.SLIPWAY_FUZZ_CASES ?? 2);

/** A spec shape: the aliased text and the same spec with every alias written out. */
interface Shape {
  readonly what: string;
  readonly aliased: string;
  readonly plain: string;
}

/** `anchors` anchored list items, then `aliases` aliases of the last one (the worst order for a per-alias scan). */
function anchorsThenAliases(anchors: number, aliases: number): Shape {
  const head = Array(anchors).fill('&a x').join(', ');
  return {
    what: `${anchors} anchors, then ${aliases} aliases of a string`,
    aliased: `${BASE}args: [${head}, ${Array(aliases).fill('*a').join(', ')}]\n`,
    plain: `${BASE}args: [${head}, ${Array(aliases).fill('x').join(', ')}]\n`,
  };
}

/** `aliases` aliases of one string of `chars` characters, as container arguments. */
function longString(chars: number, aliases: number): Shape {
  const s = 'v'.repeat(chars);
  return {
    what: `${aliases} aliases of a ${chars}-character string`,
    aliased: `${BASE}description: &s ${s}\nargs:\n${Array(aliases).fill('  - *s').join('\n')}\n`,
    plain: `${BASE}description: &s ${s}\nargs:\n${Array(aliases).fill(`  - ${s}`).join('\n')}\n`,
  };
}

/** Anchors and aliases interleaved in a map: each alias names a different, recent anchor. */
function interleaved(pairs: number, filler: number): Shape {
  const fill = Array.from({ length: filler }, (_, i) => `  f${i}: &f${i} y`).join('\n');
  const items = (alias: boolean) => Array.from({ length: pairs }, (_, i) => `  a${i}: &a${i} v${i}\n  b${i}: ${alias ? `*a${i}` : `v${i}`}`).join('\n');
  return {
    what: `${filler} anchors, then ${pairs} anchor/alias pairs`,
    aliased: `${BASE}podAnnotations:\n${fill}\n${items(true)}\n`,
    plain: `${BASE}podAnnotations:\n${fill}\n${items(false)}\n`,
  };
}


const CORPUS: Shape[] = [
  anchorsThenAliases(30_000, LIMITS.aliases),
  anchorsThenAliases(5_000, 10),
  longString(500, LIMITS.aliases),
  interleaved(LIMITS.aliases, 5_000),
];
const random = rng(SEED);
for (let i = 0; i < FUZZ_CASES; i++) {
  const anchors = 1000 + Math.floor(random() * 5_000);
  const aliases = 1 + Math.floor(random() * LIMITS.aliases);
  CORPUS.push(random() < 0.5 ? anchorsThenAliases(anchors, aliases) : interleaved(aliases, anchors));
}

/** Loads a spec, returning the SpecError message or the loaded services; other errors are bugs. */
function load(text: string): unknown {
  try {
    return loadSpecText(text, 'svc.yaml');
  } catch (e) {
    if (e instanceof SpecError) return e.message;
    throw e;
  }
}

/** The best of three loads, in milliseconds (the best is the steadiest on a shared machine). */
function best(text: string): number {
  let min = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    load(text);
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

afterEach(() => { vi.restoreAllMocks(); });

describe('hostile input: aliases cost linear time', () => {
  for (const c of CORPUS) {
    it(`${c.what}: same value as written out, no per-alias document scan`, () => {
      const resolve = vi.spyOn(Alias.prototype, 'resolve');
      const aliased = load(c.aliased);
      // The work bound: `yaml`'s resolver scans the document per alias; it must not run at all.
      expect(resolve).not.toHaveBeenCalled();
      resolve.mockRestore();
      const plain = load(c.plain);
      expect(typeof aliased, String(aliased)).toBe('object');
      expect((aliased as { spec: unknown }[])[0].spec).toEqual((plain as { spec: unknown }[])[0].spec);
    });
  }

  it('the worst case costs about what the same spec written out costs (loose wall-time ratio)', () => {
    const c = anchorsThenAliases(30_000, LIMITS.aliases);
    best(c.plain); // warm up
    const ratio = best(c.aliased) / best(c.plain);
    expect(ratio).toBeLessThan(1.6);
  });
});
