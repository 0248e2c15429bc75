/**
 * chart-testing's `ct lint` (real, pinned, from scripts/bootstrap-tools.sh group `ct`: ct with its
 * chart_schema.yaml / lintconf.yaml, yamllint and yamale) on every example chart: Chart.yaml schema,
 * YAML lint of Chart.yaml and values.yaml, and `helm lint` once per ci/*-values.yaml (the default
 * values and each overlay), with helm 3 and with helm 4 as `helm`. Skipped when ct is not installed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderChart } from '../../src/chart/render-chart';
import { writeFiles } from '../../src/chart/write';
import { exampleServices } from '../support/examples';
import { toolsBinDir } from '../support/helm';
import { buildOnce, slipway, tempDir } from '../cli/helpers';

const BIN = toolsBinDir();
const CT = join(BIN, 'ct');
const ETC = join(BIN, '..', 'share', 'ct-etc');
const ready = existsSync(CT) && existsSync(join(ETC, 'lintconf.yaml')) && existsSync(join(BIN, 'helm3'));
const charts = exampleServices().filter((s) => !s.model.sidecarOf).map((s) => [s.model.name, s.model] as const);

/** PATH where `helm` is helm 3 or 4 (ct calls `helm`), then the tools (yamllint, yamale). */
function ctPath(helm = 'helm3'): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-ct-bin-'));
  symlinkSync(join(BIN, helm), join(dir, 'helm'));
  return `${dir}:${BIN}:${process.env.PATH}`;
}

const helms = ['helm3', 'helm4'].filter((h) => existsSync(join(BIN, h)));
const matrix = helms.flatMap((h) => charts.map(([n, m]) => [h, n, m] as const));

describe.skipIf(!ready)('ct lint (chart-testing, real)', () => {
  it.each(matrix)('%s, %s: lints the chart with every ci/*-values.yaml', (helmName, _n, model) => {
    const root = mkdtempSync(join(tmpdir(), 'slipway-ct-'));
    writeFiles(root, renderChart(model));
    const dir = join(root, model.name);
    const r = spawnSync(CT, ['lint', '--charts', dir, '--chart-yaml-schema', join(ETC, 'chart_schema.yaml'), '--lint-conf', join(ETC, 'lintconf.yaml'),
      '--validate-maintainers=false', '--check-version-increment=false'], { encoding: 'utf8', env: { ...process.env, PATH: ctPath(helmName) } });
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

/**
 * The chart version rule against chart-testing's own version-increment check: a git repository
 * whose main branch has the synthesized chart; on a branch, a config-only change re-synthesized.
 * Without a chart.version bump, `slipway synth` warns and `ct lint` fails ("Needs a version bump");
 * with the bump, neither complains.
 */
describe.skipIf(!ready)('chart version rule vs ct lint --check-version-increment (real git, real ct)', () => {
  beforeAll(() => buildOnce(), 180_000);

  const git = (cwd: string, ...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  };
  const spec = (level: string, chartVersion?: string) =>
    `name: web\nversion: 1.0.0\nimage: { repository: acme/web, tag: "1.0.0" }\nports: [{ name: http, containerPort: 8080 }]\nconfig: { env: { LEVEL: ${level} } }\n${chartVersion ? `chart: { version: ${chartVersion} }\n` : ''}`;
  const ctLint = (cwd: string) => spawnSync(CT, ['lint', '--chart-dirs', 'dist/web/chart', '--target-branch', 'main', '--chart-yaml-schema', join(ETC, 'chart_schema.yaml'),
    '--lint-conf', join(ETC, 'lintconf.yaml'), '--validate-maintainers=false'], { cwd, encoding: 'utf8', env: { ...process.env, PATH: ctPath() } });

  function repoOnBranch(): string {
    const root = tempDir('ct-version');
    git(root, 'init', '-q', '--bare', 'origin.git');
    const repo = join(root, 'repo');
    git(root, 'init', '-q', 'repo');
    writeFileSync(join(repo, 'web.yaml'), spec('info'));
    expect(slipway(['synth', 'web.yaml', '-o', 'dist'], { cwd: repo }).status).toBe(0);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'base');
    git(repo, 'remote', 'add', 'origin', join(root, 'origin.git'));
    git(repo, 'push', '-q', 'origin', 'main');
    git(repo, 'checkout', '-qb', 'change');
    return repo;
  }

  it('a config-only change without a bump: synth warns and ct lint fails', () => {
    const repo = repoOnBranch();
    writeFileSync(join(repo, 'web.yaml'), spec('debug'));
    const synth = slipway(['synth', 'web.yaml', '-o', 'dist'], { cwd: repo });
    expect(synth.stderr).toContain('warning: web/chart/web: the chart\'s content changed but its version is still 0.1.0');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'change');
    const r = ctLint(repo);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('Needs a version bump');
  }, 60_000);

  it('the same change with chart.version bumped: no warning, ct lint passes', () => {
    const repo = repoOnBranch();
    writeFileSync(join(repo, 'web.yaml'), spec('debug', '0.1.1'));
    const synth = slipway(['synth', 'web.yaml', '-o', 'dist'], { cwd: repo });
    expect(synth.stderr).toBe('');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'change');
    const r = ctLint(repo);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain('All charts linted successfully');
  }, 60_000);
});
