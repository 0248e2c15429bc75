/**
 * chart-testing's `ct lint` (real, pinned, from scripts/bootstrap-tools.sh group `ct`: ct with its
 * chart_schema.yaml / lintconf.yaml, yamllint and yamale) on every example chart: Chart.yaml schema,
 * YAML lint of Chart.yaml and values.yaml, and `helm lint` once per ci/*-values.yaml (the default
 * values and each overlay). Skipped with a note when ct is not installed.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderChart } from '../../src/chart/render-chart';
import { writeFiles } from '../../src/chart/write';
import { exampleServices } from '../support/examples';
import { toolsBinDir } from '../support/helm';

const BIN = toolsBinDir();
const CT = join(BIN, 'ct');
const ETC = join(BIN, '..', 'share', 'ct-etc');
const ready = existsSync(CT) && existsSync(join(ETC, 'lintconf.yaml')) && existsSync(join(BIN, 'helm3'));
const charts = exampleServices().filter((s) => !s.model.sidecarOf).map((s) => [s.model.name, s.model] as const);

/** PATH where `helm` is helm 3 (ct calls `helm`), then the tools (yamllint, yamale). */
function ctPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-ct-bin-'));
  symlinkSync(join(BIN, 'helm3'), join(dir, 'helm'));
  return `${dir}:${BIN}:${process.env.PATH}`;
}

describe.skipIf(!ready)('ct lint (chart-testing, real)', () => {
  it.each(charts)('%s: lints the chart with every ci/*-values.yaml', (_n, model) => {
    const root = mkdtempSync(join(tmpdir(), 'slipway-ct-'));
    writeFiles(root, renderChart(model));
    const dir = join(root, model.name);
    const r = spawnSync(CT, ['lint', '--charts', dir, '--chart-yaml-schema', join(ETC, 'chart_schema.yaml'), '--lint-conf', join(ETC, 'lintconf.yaml'),
      '--validate-maintainers=false', '--check-version-increment=false'], { encoding: 'utf8', env: { ...process.env, PATH: ctPath() } });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain('All charts linted successfully');
    const ci = existsSync(join(dir, 'ci')) ? readdirSync(join(dir, 'ci')).filter((f) => f.endsWith('-values.yaml')).sort() : [];
    for (const f of ci) expect(r.stdout + r.stderr).toContain(`Linting chart with values file "${join(dir, 'ci', f)}"`);
    if (model.workload.kind === 'Deployment') {
      expect(ci).toEqual(['default-values.yaml', 'dev-values.yaml', 'prod-values.yaml']);
      // Each ci overlay is the chart's values-<x>.yaml, minus its install comment.
      const body = (t: string) => t.split('\n').filter((l) => !l.startsWith('#')).join('\n');
      expect(body(readFileSync(join(dir, 'ci', 'prod-values.yaml'), 'utf8'))).toBe(body(readFileSync(join(dir, 'values-prod.yaml'), 'utf8')));
    }
  });
});
