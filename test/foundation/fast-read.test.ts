/**
 * The fast spec reader (src/spec/fast-read.ts) against the `yaml` library it stands in for: on
 * every input it either declines or gives exactly `yaml`'s values. Each case below is compared
 * with `yaml` at run time (no expected values pasted in); the "declines" list names inputs where
 * js-yaml alone would give a different value, so a guard that stopped working fails here.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { readYamlFast } from '../../src/spec/fast-read';
import { loadSpecText } from '../../src/spec/load';
import { ROOT } from '../support/examples';
import { exampleFiles } from '../cli/helpers';

/** What the `yaml` library reads (as load.ts does), or 'error'. */
function yamlRead(text: string): unknown[] | 'error' {
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  if (docs.some((d) => d.errors.length)) return 'error';
  try {
    return docs.filter((d) => d.contents !== null).map((d) => d.toJS({ maxAliasCount: 100 }));
  } catch {
    return 'error'; // an alias without an anchor, or aliases expanding too far
  }
}

/** The reader's contract on one input. */
function expectFaithful(text: string): 'fast' | 'declined' {
  const fast = readYamlFast(text);
  if (fast === undefined) return 'declined';
  expect(fast, JSON.stringify(text)).toStrictEqual(yamlRead(text));
  return 'fast';
}

describe('fast spec reader', () => {
  it('reads every example spec and spec fixture, with yaml\'s values', () => {
    const files = ['examples', 'examples/gitops-repo/services', 'test/image/fixtures'].flatMap((d) => exampleFiles(join(ROOT, d)));
    expect(files.length).toBeGreaterThan(12);
    for (const f of files) expect(expectFaithful(readFileSync(f, 'utf8')), f).toBe('fast');
  });

  // Inputs where js-yaml (even with yaml's scalar tags) differs from yaml, or yaml reads a
  // different YAML version, or where aliases could explode: each must be declined.
  const declines: [string, string][] = [
    ['a null key', '~: 1\n'],
    ['a null key in a flow map', 'a: {null: 1}\n'],
    ['a list as a key', '[a]: 1\n'],
    ['a map as a key', '{a: 1}: 2\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['an explicit map key', '? {a: 1}\n: 1\n'],
    ['a %YAML 1.1 directive (yes is a boolean there)', '%YAML 1.1\n---\na: yes\n'],
    ['an anchor and an alias', 'a: &x {b: 1}\nc: *x\n'],
    ['an anchored scalar and its alias', 'a: &x 1\nb: *x\n'],
    ['an anchor alone', 'a:\n  - &x b\n'],
    ['an anchored key', '&x a: 1\n'],
    ['an anchor and alias in a flow list', 'a: [&x 1, *x]\n'],
    ['a merge of an anchored map', 'a: &x {b: 1}\nc:\n  <<: *x\n'],
    ['an anchor in a later document', 'a: 1\n---\nb: &x 2\n'],
    ['a %YAML 1.1 directive after a byte order mark', '\uFEFF%YAML 1.1\n---\na: yes\n'],
    ['a carriage return that does not end a line (yaml keeps it in the value)', 'a: x\r #c\n'],
    ['a tag js-yaml lacks', 'a: !!int "1"\n'],
    ['a __proto__ key', 'a:\n  __proto__: {polluted: true}\n'],
    ['an empty document in the stream', 'a: 1\n---\n'],
    ['a null document', '--- ~\n'],
    ['no document', '# only a comment\n'],
  ];
  for (const [what, text] of declines) {
    it(`declines ${what}`, () => {
      expect(readYamlFast(text)).toBeUndefined();
    });
  }

  it('keeps `<<` a plain key, as YAML 1.2 does (js-yaml\'s default schema would merge)', () => {
    expect(expectFaithful('a:\n  <<: {b: 1}\n  c: 2\n')).toBe('fast');
    expect(readYamlFast('a:\n  <<: {b: 1}\n')).toStrictEqual([{ a: { '<<': { b: 1 } } }]);
  });

  it('reads text that only looks like an anchor, an alias or a comment fast: it is not one to either parser', () => {
    for (const text of ['schedule: "*/5 * * * *"\n', "s: 'a &b *c'\n", 'url: https://h/db?a=1&b=2\n', 'args: ["--x", "*", "&"]\n', 'a: b &c *d\n', 'color: "#ff0000"\n', 'channels: ["#alerts", \'#ops\']\n']) {
      expect(expectFaithful(text), text).toBe('fast');
    }
  });

  it('declines what yaml rejects', () => {
    for (const text of ['health: {\nexec: {}, x: true }\n', 'a: [\n1, 2]\n', 'a:\n  b: {\n  c: 1 }\n', '- a: {\n  b: 1}\n', 'a: {b: 1}#c\n', 'a: [1]#c\n', 'a: "x"#c\n', "a: 'x'#c\n", 'a: ""#c\n', 'a: x\rb: 1\n', 'a:\n\tb: 1\n', 'a: b: c\n', "a: 'x\n", '- a\nb: 1\n', 'a: 1\na: 2\n', 'a: "\\q"\n', 'a: @x\n', 'a: - b\n']) {
      expect(yamlRead(text), text).toBe('error');
      expect(readYamlFast(text), text).toBeUndefined();
    }
  });

  // YAML 1.2 core scalars where js-yaml's own core schema disagrees with yaml (0b1, 1_000,
  // +0x1 are strings in yaml; -.5 is a number), and strings YAML 1.1 would not read as strings.
  const scalars = ['0', '014', '0o14', '0x1F', '0b101', '-0', '+1', '1_000', '+0x1', '1:20', '1e3', '1.', '.5', '-.5', '.inf', '-.Inf', '.NaN',
    'true', 'True', 'tRue', 'yes', 'on', 'null', 'NULL', '~', '', '2001-12-14', '12:30', '0.10', '1.0.0', '<<', '=', 'é', 'a b', 'a #b', 'x:y', '"q"', "'s'", '"a\\tb"'];
  it('resolves plain scalars as yaml does, as values, list items and keys', () => {
    let fast = 0;
    for (const s of scalars) {
      for (const text of [`k: ${s}\n`, `k:\n  - ${s}\n`, `${s}: 1\n`, `k: {${s}: 1}\n`]) if (expectFaithful(text) === 'fast') fast++;
    }
    expect(fast).toBeGreaterThan(scalars.length * 3);
  });

  it('agrees with yaml on generated documents full of edge cases', () => {
    const random = seeded(20261124);
    let fast = 0;
    let valid = 0;
    let anchoredValid = 0;
    for (let i = 0; i < 3000; i++) {
      const text = generatedDocument(random);
      const ok = yamlRead(text) !== 'error';
      if (ok) valid++;
      if (ok && / &a\d/.test(text)) anchoredValid++;
      if (expectFaithful(text) === 'fast') fast++;
    }
    // Anchored documents occur, and they are valid often enough to exercise the decline.
    expect(anchoredValid).toBeGreaterThan(20);
    // The comparison means something only if most valid documents take the fast path (the
    // generator also writes declined constructs: `~` and `true` keys, anchors and aliases).
    expect(fast).toBeGreaterThan(valid * 0.6);
  });

  it('locates later findings in a fast-read file as the yaml path does', () => {
    const text = 'name: web\nversion: "1.0.0"\nimage: { repository: acme/web }\nports: [{ name: http, containerPort: 8080 }]\nreplicas: 3\n';
    expect(readYamlFast(text)).toBeDefined();
    const [svc] = loadSpecText(text, 'svc.yaml');
    expect(svc.locate!(['replicas'])).toMatchObject({ file: 'svc.yaml', line: 5, column: 11, path: 'replicas' });
    expect(svc.locate!(['ports', 0, 'containerPort'])).toMatchObject({ line: 4, column: 38 });
  });

  it('still reports located errors for a file with a problem', () => {
    expect(() => loadSpecText('name: web\nversion: "1.0.0"\nimage: { repository: acme/web }\nreplicas: three\n', 'svc.yaml')).toThrow(/svc\.yaml:4:11: replicas: must be integer/);
  });
});

/** A deterministic pseudo-random source (LCG), so a failure reproduces. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const PLAIN = ['0', '014', '0o14', '0x1F', '0b1', '1_0', '-.5', '1e3', '.inf', '.NaN', 'true', 'yes', 'on', 'null', '~', '2001-12-14', '12:30', 'a b', 'a#b', 'a #c',
  'x:y', 'é', 'http://x/y?z=1&w', '*/5 * * * *', 'a,b', 'a]', 'a}', '-x', '--', '<<', '=', '0.10', '1.0.0', 'v1', '%x', '@x', '!x', 'a\\nb', "it's", 'say "hi"'];
const QUOTED = ['"*/5 * * * *"', "'a &b *c'", '"a\\tb"', '"\\u00e9"', '"x\\\n  y"', "'it''s'", '"{{ .x }}"', '""', "''", '"a\\"b"', '"line1\\nline2"', '"  sp  "', "'a\n  b'", '"a\n\n  b"'];
const BLOCKS = ['|\n%I  a\n%I  b\n', '>\n%I  a\n%I  b\n\n%I  c\n', '|-\n%I  x\n', '>+\n%I  y\n\n', '|2\n%I    z\n', '|\n%I  a\n%I\n%I  b\n', '>-\n%I  long\n%I   more\n%I  end\n'];
const KEYS = ['a', 'b', 'k1', 'PORT', 'LOG_LEVEL', '"q k"', "'s k'", 'app.kubernetes.io/name', '1', '0x1F', '-1', 'x y', '<<', '"null"', '__a', 'k-e-y', '"a:b"', 'true', '1.5', '~'];

/** A YAML stream built from scalars, quoting, block scalars, flow and block collections, comments and CRLF. */
function generatedDocument(random: () => number): string {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(random() * a.length)];
  const value = (ind: string, depth: number): string => {
    const r = random();
    // Anchors and aliases (an alias to an anchor not yet defined is an error in both readers).
    if (r < 0.02) return ` &a${Math.floor(random() * 3)}${value(ind, depth + 1)}`;
    if (r < 0.04) return ` *a${Math.floor(random() * 3)}\n`;
    if (depth > 2 || r < 0.35) return ` ${pick(PLAIN)}${random() < 0.1 ? ' # c' : ''}\n`;
    if (r < 0.5) return ` ${pick(QUOTED).replace(/\n/g, `\n${ind}`)}${random() < 0.05 ? '#c' : ''}\n`;
    if (r < 0.6) return ` ${pick(BLOCKS).replace(/%I/g, ind)}`;
    // Now and then a comment with no space after a flow collection or a quoted scalar (yaml rejects it).
    const glued = () => (random() < 0.05 ? '#c' : '');
    if (r < 0.7) return ` [${pick(PLAIN)}, ${pick(QUOTED).replace(/\n/g, ' ')}]${glued()}\n`;
    if (r < 0.78) return ` { ${pick(KEYS)}: ${pick(PLAIN).replace(/[,{}[\]]/g, '')}, ${pick(KEYS)}: x }\n`;
    // A flow map over several lines, its continuation indented less, as much as or more than its key.
    if (r < 0.82) return ` {\n${ind}${pick(['', ' ', '  ', '   '])}${pick(KEYS)}: 1,\n${ind}${pick(['', ' ', '   '])}${pick(KEYS)}: [a,\n${ind}${pick(['', '  ', '    '])}b] }\n`;
    if (r < 0.9) return `\n${map(`${ind}  `, depth + 1)}`;
    return `\n${seq(ind + (random() < 0.5 ? '  ' : ''), depth + 1)}`;
  };
  const map = (ind: string, depth: number): string => {
    let s = '';
    const used = new Set<string>();
    for (let i = 0, n = 1 + Math.floor(random() * 4); i < n; i++) {
      const k = pick(KEYS);
      if (used.has(k)) continue;
      used.add(k);
      s += `${ind}${k}:${value(ind, depth)}`;
      if (random() < 0.05) s += `${ind}# comment\n`;
    }
    return s;
  };
  const seq = (ind: string, depth: number): string => {
    let s = '';
    for (let i = 0, n = 1 + Math.floor(random() * 3); i < n; i++) {
      s += random() < 0.5 ? `${ind}-${value(`${ind}  `, depth)}` : `${ind}- ${map(`${ind}  `, depth).slice(ind.length + 2)}`;
    }
    return s;
  };
  let text = map('', 0);
  if (random() < 0.1) text = text.replace(/\n/g, '\r\n');
  if (random() < 0.05) text = `---\n${text}---\n${map('', 0)}`;
  return text;
}
