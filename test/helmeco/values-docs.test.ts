/**
 * values.yaml comments read by the real helm-docs (`# --`) and Bitnami readme-generator-for-helm
 * (`## @param` with `[array]`/`[object]` modifiers), on every example chart: each tool documents
 * every parameter with a description. The tools come from scripts/bootstrap-tools.sh (group
 * `chart-docs`: helm-docs built from its Go module, readme-generator from npm); without them these
 * tests are skipped with a note.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderChart } from '../../src/chart/render-chart';
import { writeFiles } from '../../src/chart/write';
import { paramDocs } from '../../src/chart/readme';
import { modifierOf } from '../../src/chart/values';
import { exampleServices } from '../support/examples';
import { toolsBinDir } from '../support/helm';

const HELM_DOCS = join(toolsBinDir(), 'helm-docs');
const README_GENERATOR = join(toolsBinDir(), 'readme-generator');
const charts = exampleServices().filter((s) => !s.model.sidecarOf).map((s) => [s.model.name, s.model] as const);

function writeChart(model: Parameters<typeof renderChart>[0]): string {
  const root = mkdtempSync(join(tmpdir(), 'slipway-docs-'));
  writeFiles(root, renderChart(model));
  return join(root, model.name);
}

/** Rows of a markdown table whose first cell is a key: key -> description cell. */
function tableRows(markdown: string, keyCell: number, docCell: number): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|') || /^\|\s*(-|Key\b|Name\b)/.test(line)) continue;
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    rows.set(cells[keyCell].replace(/`/g, ''), cells[docCell]);
  }
  return rows;
}

describe('values.yaml comments', () => {
  it('carry [array] / [object] for lists and maps, nothing for scalars', () => {
    expect([modifierOf([]), modifierOf({}), modifierOf({ a: 1 }), modifierOf(''), modifierOf(0), modifierOf(null), modifierOf(false)])
      .toEqual(['[array] ', '[object] ', '[object] ', '', '', '', '']);
  });

  it.each(charts)('%s: every ## @param line is followed by a # -- line with the same description', (_n, model) => {
    const text = renderChart(model)[`${model.name}/values.yaml`];
    const lines = text.split('\n');
    const params = paramDocs(text);
    expect(params.length).toBeGreaterThan(3);
    for (const [i, l] of lines.entries()) {
      const m = /^(\s*)## @param (\S+) (?:\[[a-z,]+\] )?(.*)$/.exec(l);
      if (!m) continue;
      expect(lines[i + 1]).toBe(`${m[1]}# -- ${m[3]}`);
      expect(lines[i + 2].trimStart().startsWith(`${m[2].split('.').pop()}:`) || lines[i + 2].trimStart().startsWith(`"${m[2].split('.').pop()}":`), m[2]).toBe(true);
    }
  });
});

describe.skipIf(!existsSync(HELM_DOCS))('helm-docs (real, built from its Go module)', () => {
  it.each(charts)('%s: documents every parameter with its description', (_n, model) => {
    const dir = writeChart(model);
    const r = spawnSync(HELM_DOCS, ['--chart-search-root', dir, '--dry-run'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const rows = tableRows(r.stdout.slice(r.stdout.indexOf('## Values')), 0, 3);
    const docs = paramDocs(readFileSync(join(dir, 'values.yaml'), 'utf8'));
    for (const p of docs) expect(rows.get(p.key), p.key).toBe(p.doc.replace(/\|/g, '\\|'));
    // Nothing helm-docs found is undocumented (its --documentation-strict-mode, in 1.14.2, flags documented keys too, so it is not used).
    for (const [key, doc] of rows) expect(doc, key).not.toBe('');
    expect(rows.size).toBe(docs.length);
  });
});

describe.skipIf(!existsSync(README_GENERATOR))('readme-generator-for-helm (real, from npm)', () => {
  it.each(charts)('%s: accepts the values file and documents every parameter', (_n, model) => {
    const dir = writeChart(model);
    const readme = join(dir, 'README.md');
    const r = spawnSync(README_GENERATOR, ['--values', join(dir, 'values.yaml'), '--readme', readme], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Metadata is correct!');
    const written = readFileSync(readme, 'utf8');
    const rows = tableRows(written.slice(written.indexOf('### Parameters')), 0, 1);
    const docs = paramDocs(readFileSync(join(dir, 'values.yaml'), 'utf8'));
    for (const p of docs) expect(rows.get(p.key), p.key).toBe(p.doc.replace(/\|/g, '\\|'));
    expect(rows.size).toBe(docs.length);
  });

  it('rejects a map without its [object] modifier (so the modifiers are what it checks)', () => {
    const dir = writeChart(charts[0][1]);
    const values = join(dir, 'values.yaml');
    writeFileSync(values, readFileSync(values, 'utf8').replace(/## @param commonLabels \[object\] /, '## @param commonLabels '));
    writeFileSync(values, readFileSync(values, 'utf8').replace(/^commonLabels: \{\}$/m, 'commonLabels: { team: a }'));
    const r = spawnSync(README_GENERATOR, ['--values', values, '--readme', join(dir, 'README.md')], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/commonLabels\.team/);
  });
});
