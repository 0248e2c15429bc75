/**
 * Hostile input for issue 17's surfaces: chart metadata in the spec (it lands in Chart.yaml, which
 * helm reads), the `--push` URL and the `--slipway` dependency spec (they reach helm's and npm's
 * command lines and package.json), and `--image` in init. Table-driven corpus, plus seeded random
 * maintainer names (SLIPWAY_FUZZ_CASES, default 40; SLIPWAY_FUZZ_SEED, default 17): every accepted
 * string round-trips exactly into Chart.yaml (as a YAML reader and as helm read it), every refused
 * one is a located error, and nothing is written on a refusal.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderChart } from '../../src/chart/render-chart';
import { writeFiles } from '../../src/chart/write';
import { loadSpecText } from '../../src/spec/load';
import { SpecError } from '../../src/spec/errors';
import { helm, helmBinaries } from '../support/helm';
import { buildOnce, slipway, tempDir, EXAMPLES } from '../cli/helpers';
import { rng } from '../support/random-spec';

const BASE = `name: web\nversion: 1.0.0\nimage: { repository: acme/web, tag: "1.0.0" }\nports: [{ name: http, containerPort: 8080 }]\n`;
const FUZZ_CASES = Number(process.env.SLIPWAY_FUZZ_CASES ?? 40);
const FUZZ_SEED = Number(process.env.SLIPWAY_FUZZ_SEED ?? 17);


/** The spec with `chart` set to `chart` (as JSON, which is YAML). */
function specWith(chart: unknown): string {
  return `${BASE}chart: ${JSON.stringify(chart)}\n`;
}

function chartYamlOf(chart: unknown): any {
  return parse(renderChart(loadSpecText(specWith(chart), 'web.yaml')[0].model)['web/Chart.yaml']);
}

/** Strings that are one line and so accepted, but mean something to YAML, Go templates or shells. */
const TRICKY_NAMES = [
  '{{ .Release.Name }}', '{{- fail "x" -}}', '": injected: true', '# not a comment', '- item', "'single'", '"double"',
  '&anchor', '*alias', '!!binary', '| block', '> folded', '%TAG', '@at', '`tick`', 'yes', 'null', '~', '0x1F', '1e3', '',
  'a: b', 'a #b', '[1, 2]', '{a: 1}', '$(rm -rf /)', '\\n not a newline', 'Ünïcödé 名前 😀', ' leading space', 'trailing space ',
];

describe('chart metadata: accepted strings round-trip exactly into Chart.yaml', () => {
  it.each(TRICKY_NAMES.map((n) => [n]))('maintainer name %j', (name) => {
    const c = chartYamlOf({ maintainers: [{ name }] });
    expect(c.maintainers).toEqual([{ name }]);
  });

  it.each([
    ['https://example.com/{{.Values.x}}'], ['https://example.com/#frag'], ['https://example.com/a?b=c&d=e'], ['http://127.0.0.1:8080/x'],
    ['https://example.com/%7B%7B'], ['https://example.com/a:b'],
  ])('home %j', (home) => {
    expect(chartYamlOf({ home, sources: [home], icon: home })).toMatchObject({ home, sources: [home], icon: home });
  });

  it(`${FUZZ_CASES} random one-line maintainer names (seed ${FUZZ_SEED}) round-trip; helm reads them back`, () => {
    const next = rng(FUZZ_SEED);
    const alphabet = [...'abcXYZ019 :#-{}[]|>&*!%@`\'"\\,?=~', 'é', '名', '😀', 'ß', '\u0301'];
    const names: string[] = [];
    for (let i = 0; i < FUZZ_CASES; i++) {
      const len = 1 + Math.floor(next() * 24);
      names.push(Array.from({ length: len }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
    }
    const maintainers = names.map((name) => ({ name }));
    expect(chartYamlOf({ maintainers }).maintainers).toEqual(maintainers);
    // The real helm reads the same names (one chart with all of them).
    const root = mkdtempSync(join(tmpdir(), 'slipway-hostile-meta-'));
    writeFiles(root, renderChart(loadSpecText(specWith({ maintainers }), 'web.yaml')[0].model));
    // What helm loaded, as JSON from a template (`helm show chart` re-emits YAML, which normalizes some spaces).
    writeFileSync(join(root, 'web', 'templates', 'zz-maintainers.yaml'), 'maintainers: {{ .Chart.Maintainers | toJson }}\n');
    for (const bin of helmBinaries()) {
      const shown = helm(bin, ['template', 'web', join(root, 'web'), '--kube-version', '1.28.0', '--show-only', 'templates/zz-maintainers.yaml']);
      expect(shown.status, shown.stderr).toBe(0);
      // helm 4 exposes the Go field names (Name, Email, URL), helm 3 the JSON ones.
      const loaded = (parse(shown.stdout).maintainers as Record<string, string>[]).map((x) => ({ name: x.name ?? x.Name }));
      expect(loaded, bin.name).toEqual(maintainers);
      rmSync(join(root, 'web', 'templates', 'zz-maintainers.yaml'));
      const lint = helm(bin, ['lint', '--strict', join(root, 'web')]);
      expect(lint.status, lint.stdout).toBe(0);
      writeFileSync(join(root, 'web', 'templates', 'zz-maintainers.yaml'), 'maintainers: {{ .Chart.Maintainers | toJson }}\n');
    }
  });
});

describe('chart metadata: refused with a located error', () => {
  it.each([
    [{ maintainers: [{ name: 'line\nbreak' }] }, 'chart.maintainers[0].name'],
    [{ maintainers: [{ name: 'tab\there' }] }, 'chart.maintainers[0].name'],
    [{ maintainers: [{ name: 'nel\u0085x' }] }, 'chart.maintainers[0].name'],
    [{ maintainers: [{ name: 'ls\u2028x' }] }, 'chart.maintainers[0].name'],
    [{ home: 'https://example.com/\nannotations: x' }, 'chart.home'],
    [{ home: 'https://example.com/"quoted"' }, 'chart.home'],
    [{ home: 'file:///etc/passwd' }, 'chart.home'],
    [{ icon: 'data:image/svg+xml,<svg onload=alert(1)>' }, 'chart.icon'],
    [{ sources: ['https://x y'] }, 'chart.sources[0]'],
    [{ keywords: ['a\nb'] }, 'chart.keywords[0]'],
    [{ keywords: ['{{x}}'] }, 'chart.keywords[0]'],
    [{ version: '1.0.0\nappVersion: evil' }, 'chart.version'],
    [{ version: '1.0.0+{{x}}' }, 'chart.version'],
    [{ annotations: { 'slipway.dev/content-digest': 'sha256:00' } }, 'chart.annotations'],
    [{ maintainers: [{ name: 'x', email: 'a b@c' }] }, 'chart.maintainers[0].email'],
    // Helm turns every Unicode space into " " and drops what is not printable in Chart.yaml.
    [{ maintainers: [{ name: 'no\u00a0break' }] }, 'chart.maintainers[0].name: contains U+00A0, which helm replaces or drops'],
    [{ maintainers: [{ name: 'zero\u200bwidth' }] }, 'chart.maintainers[0].name: contains U+200B'],
    [{ maintainers: [{ name: 'soft\u00adhyphen' }] }, 'chart.maintainers[0].name: contains U+00AD'],
    [{ maintainers: [{ name: 'bom\ufeff' }] }, 'chart.maintainers[0].name: contains U+FEFF'],
    [{ maintainers: [{ name: 'private\ue000' }] }, 'chart.maintainers[0].name: contains U+E000'],
  ])('%j', (chart, path) => {
    let error: unknown;
    try {
      loadSpecText(specWith(chart), 'web.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as Error).message).toMatch(/^web\.yaml:\d+:\d+: /m);
    expect((error as Error).message).toContain(`${path}`);
  });
});

describe('command-line values that reach helm, npm and package.json', () => {
  beforeAll(() => buildOnce(), 180_000);

  it.each([
    ['oci://r.example/charts --insecure-skip-tls-verify'], ['oci://r.example/charts\n--debug'], ['oci://r.example/../etc'], ['oci://-r.example/x/'],
    ['oci://r.example/charts;rm -rf /'], ['oci://r.example/$(id)'], ['--plain-http'], ['oci://'], ['oci://r.example:99999999/x'],
  ])('--push %j is refused, nothing written', (url) => {
    const out = join(tempDir('hostile-push'), 'out');
    const r = slipway(['synth', join(EXAMPLES, 'ghillie.yaml'), '-o', out, '--package', `--push=${url}`]);
    expect(r.status).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it.each([['a b'], ['"x": "y"'], ['x\ny'], [''], ['  '], ['file:../x.tgz\\']])('--slipway %j is refused, nothing written', (spec) => {
    const dir = join(tempDir('hostile-slipway'), 'repo');
    const r = slipway(['init', dir, '--image', 'nginx:1.27', `--slipway=${spec}`]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--slipway /);
    expect(existsSync(dir)).toBe(false);
  });

  it.each([['postgres:'], ['postgres:16.4\n# x'], ['Postgres:16'], ['ghcr.io/acme/api:1.0 --x'], ['ghcr.io//api:1'], ['postgres@sha256:abc']])('--image %j is refused, nothing written', (image) => {
    const dir = join(tempDir('hostile-image'), 'repo');
    const r = slipway(['init', dir, `--image=${image}`, '--slipway', 'file:../x.tgz']);
    expect(r.status).toBe(2);
    expect(existsSync(dir)).toBe(false);
  });
});
