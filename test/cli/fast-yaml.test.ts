/**
 * The fast YAML emitter (src/app/fast-yaml.ts) must print exactly what the `yaml` library prints,
 * or give up: checked on random values full of YAML's corner cases, in both of its modes.
 */
import { describe, expect, it } from 'vitest';
import { Document, Scalar, stringify, visit } from 'yaml';
import { emitYaml, toYaml, YAML_OPTIONS } from '../../src/app/fast-yaml';
import { isAmbiguous } from '../../src/chart/yaml-out';
import { loadSpecFile } from '../../src/spec/load';
import { renderManifestObjects } from '../../src/app/manifests';
import { exampleFiles } from './helpers';

/** The library path of src/chart/yaml-out.ts (ambiguous strings double-quoted, keys included). */
function chartLibrary(value: unknown): string {
  const doc = new Document(value, { aliasDuplicateObjects: false });
  visit(doc, { Scalar(_k, node) { if (typeof node.value === 'string' && isAmbiguous(node.value)) node.type = Scalar.QUOTE_DOUBLE; } });
  return doc.toString({ lineWidth: 0, blockQuote: false });
}

/** A deterministic generator of awkward values. */
function generator(seed: number) {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pieces = ['a', 'B', '0', '1', '-', ' ', ':', '#', '.', '/', '"', "'", '\n', '\t', 'true', 'null', '~', '%', '@', '`', '?', ',', '[', '{', '*', '&', '!',
    '|', '>', '=', '+', 'e', '0x', '0o7', 'é', '\\', '---', '...', 'yes', 'on', 'NaN', '.inf', '1e3', ' #', '{{ .Values.x }}', '\u0001', '\u0085', '\ud800', '\u00a0'];
  const str = () => { let out = ''; const n = Math.floor(rnd() * 5); for (let i = 0; i < n; i++) out += pieces[Math.floor(rnd() * pieces.length)]; return out; };
  const value = (d: number): unknown => {
    const r = rnd();
    if (d > 3 || r < 0.35) return str();
    if (r < 0.45) return (Math.floor(rnd() * 1e4) / (rnd() < 0.3 ? 7 : 1)) * (rnd() < 0.2 ? -1 : 1);
    if (r < 0.5) return rnd() < 0.5;
    if (r < 0.53) return null;
    if (r < 0.75) { const o: Record<string, unknown> = {}; const n = Math.floor(rnd() * 4); for (let i = 0; i < n; i++) o[str()] = value(d + 1); return o; }
    return Array.from({ length: Math.floor(rnd() * 4) }, () => value(d + 1));
  };
  return () => value(0);
}

describe('fast YAML emitter', () => {
  it('prints random values exactly as yaml.stringify does, or gives up', () => {
    const next = generator(42);
    let fast = 0;
    for (let i = 0; i < 20000; i++) {
      const v = next();
      const got = emitYaml(v);
      if (got === undefined) continue;
      fast++;
      expect(got, JSON.stringify(v)).toBe(stringify(v, YAML_OPTIONS));
    }
    expect(fast).toBeGreaterThan(10000);
  });

  it('prints random values exactly as the chart writer\'s quoting does, or gives up', () => {
    const next = generator(7);
    for (let i = 0; i < 20000; i++) {
      const v = next();
      const got = emitYaml(v, { quote: isAmbiguous });
      if (got !== undefined) expect(got, JSON.stringify(v)).toBe(chartLibrary(v));
    }
  });

  it('takes the fast path for every example object, with the same bytes', () => {
    const objects = exampleFiles().flatMap(loadSpecFile).flatMap((s) => renderManifestObjects(s.model));
    expect(objects.length).toBeGreaterThan(10);
    for (const o of objects) {
      expect(emitYaml(o), `${o.kind}/${(o as any).metadata?.name}`).toBe(stringify(o, YAML_OPTIONS));
    }
  });

  it('falls back to the library for what it does not print itself', () => {
    for (const v of [{ script: 'line 1\nline 2\n' }, { k: 'é: x' }, { n: Infinity }, { u: undefined }, 'a\u0001b']) {
      expect(emitYaml(v)).toBeUndefined();
      expect(toYaml(v)).toBe(stringify(v, YAML_OPTIONS));
    }
  });
});
