/**
 * A seeded mutation fuzz of the example specs: whatever a mutated spec holds, loading it either
 * throws a SpecError whose findings name the file (and, for a field, a line), or gives services
 * that link and render without any other exception. A larger run of the same idea (54 000 cases)
 * found the crashes the cases in bad-input.test.ts now pin down; this keeps a small, fast,
 * reproducible slice of it in every test run. A longer run (a nightly job, or after changing the
 * loader): `SLIPWAY_FUZZ_CASES=50000 SLIPWAY_FUZZ_SEED=<n> npx vitest run test/foundation/spec-fuzz.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseAllDocuments, isScalar, isMap, isSeq, type Document } from 'yaml';
import { loadSpecText } from '../../src/spec/load';
import { SpecError } from '../../src/spec/errors';
import { serviceFiles } from '../../src/app/synth';
import { linkServices } from '../../src/app/link';
import { exampleFiles } from '../cli/helpers';
import '../../src/artefacts'; // the chart and image renderers, as the CLI registers them

/** Values of other types and edge values that a scalar is replaced by. */
const EDGE_VALUES: unknown[] = [0, -1, 1.5, 1e12, 70000, '', ' ', 'a'.repeat(300), 'é✓', 'null', true, null, [], {}, '{{ .Values.x }}', 'a\nb', '"q"', '-1Gi', '100x',
  'UPPER_case', '/no/leading', 'no-leading', '*', '150%', [1, 2], JSON.parse('{"constructor":"x"}'), JSON.parse('{"__proto__":"x"}')];
/** Keys added to a random map. */
const ODD_KEYS = ['constructor', '__proto__', 'toString', 'valueOf', 'then', 'replicas', 'helth', 'app.kubernetes.io/name', ''];
/** Raw text spliced into a random position. */
const RAW_INSERTS = ['\t', '&x ', '*x ', '!!set ', '!!omap ', '!!binary ', '%YAML 1.1\n---\n', '\uFEFF', '\r', '\0', '#', '{', ']', '---\n', '? '];

/** A deterministic pseudo-random source (LCG), so a failure reproduces from its case number. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
}

/** Paths of every scalar and every map in a document (aliases are left alone). */
function nodePaths(doc: Document): { scalars: unknown[][]; maps: unknown[][] } {
  const scalars: unknown[][] = [];
  const maps: unknown[][] = [];
  const walk = (node: unknown, path: unknown[]) => {
    if (isMap(node)) {
      maps.push(path);
      for (const pair of node.items) if (isScalar(pair.key)) walk(pair.value, [...path, pair.key.value]);
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    } else if (isScalar(node) && path.length) {
      scalars.push(path);
    }
  };
  walk(doc.contents, []);
  return { scalars, maps };
}

/** One mutated spec text. */
function mutate(text: string, random: () => number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(random() * a.length)];
  const op = random();
  if (op < 0.2) {
    const at = Math.floor(random() * text.length);
    return op < 0.05 ? text.slice(0, at) : text.slice(0, at) + pick(RAW_INSERTS) + text.slice(at);
  }
  const docs = parseAllDocuments(text);
  const doc = pick(docs);
  const { scalars, maps } = nodePaths(doc);
  if (op < 0.65 && scalars.length) doc.setIn(pick(scalars), doc.createNode(pick(EDGE_VALUES)));
  else if (op < 0.8 && scalars.length) {
    const path = pick(scalars);
    doc.deleteIn(path.slice(0, 1 + Math.floor(random() * path.length))); // the field, or one of its parents
  }
  else if (maps.length) doc.setIn([...pick(maps), pick(ODD_KEYS)], doc.createNode(random() < 0.5 ? 'x' : pick(EDGE_VALUES)));
  return docs.map((d) => d.toString()).join('');
}

/** How many cases, and from which seed: 1000 from a fixed seed unless the environment says otherwise. */
const CASES = Number(process.env.SLIPWAY_FUZZ_CASES ?? 1000);
const SEED = Number(process.env.SLIPWAY_FUZZ_SEED ?? 20261124);

describe('spec fuzz: a mutated spec gives a SpecError or renders', () => {
  const sources = exampleFiles().map((file) => ({ file, text: readFileSync(file, 'utf8') }));

  it(`holds for ${CASES} seeded mutations of the example specs (seed ${SEED})`, () => {
    const random = seeded(SEED);
    const outcomes = { rendered: 0, specError: 0 };
    for (let i = 0; i < CASES; i++) {
      const source = sources[Math.floor(random() * sources.length)];
      const text = mutate(source.text, random);
      const what = `case ${i} (${source.file}):\n${text}`;
      try {
        const services = loadSpecText(text, source.file, dirname(source.file));
        for (const svc of linkServices(services)) serviceFiles(svc);
        outcomes.rendered++;
      } catch (e) {
        if (!(e instanceof SpecError)) throw new Error(`${what}\nthrew ${(e as Error).stack}`);
        for (const f of e.findings) {
          expect(f.file, what).toBe(source.file);
          expect(f.message, what).not.toMatch(/must match pattern/); // patterns are said in words
        }
        outcomes.specError++;
      }
    }
    // Both outcomes occur often, so the mutations neither all break nor all miss the specs.
    expect(outcomes.rendered, JSON.stringify(outcomes)).toBeGreaterThan(CASES / 10);
    expect(outcomes.specError, JSON.stringify(outcomes)).toBeGreaterThan(CASES / 4);
  }, Math.max(60_000, CASES * 20));
});
