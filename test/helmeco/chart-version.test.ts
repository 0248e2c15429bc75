/** Chart version independent of the app version, the content digest, and synth's warning (issue 17). */
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderChart } from '../../src/chart/render-chart';
import { loadSpecText } from '../../src/spec/load';
import { SpecError } from '../../src/spec/errors';
import { buildOnce, slipway, tempDir, EXAMPLES } from '../cli/helpers';

const BASE = `name: web\nversion: 2.4.0\nimage: { repository: acme/web, tag: "2.4.0" }\nports: [{ name: http, containerPort: 8080 }]\n`;

function chartOf(text: string): any {
  const files = renderChart(loadSpecText(text, 'web.yaml')[0].model);
  return parse(files['web/Chart.yaml']);
}

describe('chart version', () => {
  it('is 0.1.0 by default, whatever the app version', () => {
    const c = chartOf(BASE);
    expect(c.version).toBe('0.1.0');
    expect(c.appVersion).toBe('2.4.0');
  });

  it('is chart.version when set, and appVersion stays the app version', () => {
    const c = chartOf(`${BASE}chart: { version: 1.3.7-rc.1 }\n`);
    expect(c).toMatchObject({ version: '1.3.7-rc.1', appVersion: '2.4.0' });
  });

  it.each([['v1.2.3'], ['1.2'], ['01.2.3'], ['1.2.3 '], ['latest']])('refuses chart.version %j with a located error', (v) => {
    expect(() => loadSpecText(`${BASE}chart:\n  version: ${JSON.stringify(v)}\n`, 'web.yaml')).toThrowError(SpecError);
    try {
      loadSpecText(`${BASE}chart:\n  version: ${JSON.stringify(v)}\n`, 'web.yaml');
    } catch (e) {
      expect((e as Error).message).toMatch(/web\.yaml:6:\d+: chart\.version: .*SemVer 2/);
    }
  });

  it('the content digest is deterministic, ignores the version, and changes with any content', () => {
    const digest = (t: string) => chartOf(t).annotations['slipway.dev/content-digest'];
    expect(digest(BASE)).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(digest(BASE)).toBe(digest(BASE));
    expect(digest(`${BASE}chart: { version: 9.9.9 }\n`)).toBe(digest(BASE));
    expect(digest(`${BASE}config: { env: { A: "1" } }\n`)).not.toBe(digest(BASE)); // config only
    expect(digest(BASE.replace('2.4.0\nimage', '2.4.1\nimage'))).not.toBe(digest(BASE)); // appVersion
    expect(digest(`${BASE}chart: { home: "https://example.com" }\n`)).not.toBe(digest(BASE)); // metadata
  });
});

describe('synth warns when a chart changed under the same version', () => {
  beforeAll(() => buildOnce(), 180_000);

  it('warns on a config-only change, not on an unchanged re-synth or after a bump', () => {
    const dir = tempDir('chart-version');
    const spec = join(dir, 'web.yaml');
    const out = join(dir, 'out');
    writeFileSync(spec, `${BASE}config: { env: { LEVEL: info } }\n`);
    expect(slipway(['synth', spec, '-o', out]).stderr).toBe('');
    expect(slipway(['synth', spec, '-o', out, '--force']).stderr).toBe('');

    writeFileSync(spec, `${BASE}config: { env: { LEVEL: debug } }\n`);
    const changed = slipway(['synth', spec, '-o', out]);
    expect(changed.status).toBe(0);
    expect(changed.stderr).toContain('warning: web/chart/web: the chart\'s content changed but its version is still 0.1.0: bump chart.version in the spec');

    writeFileSync(spec, `${BASE}config: { env: { LEVEL: trace } }\nchart: { version: 0.1.1 }\n`);
    const bumped = slipway(['synth', spec, '-o', out]);
    expect(bumped.status).toBe(0);
    expect(bumped.stderr).toBe('');
    expect(parse(readFileSync(join(out, 'web', 'chart', 'web', 'Chart.yaml'), 'utf8')).version).toBe('0.1.1');
  }, 60_000);

  it('says nothing for the committed examples re-synthesized from the committed dist/', () => {
    const dir = tempDir('chart-version-ex');
    cpSync(EXAMPLES, join(dir, 'examples'), { recursive: true });
    mkdirSync(join(dir, 'out'));
    const first = slipway(['synth', join(dir, 'examples'), '-o', join(dir, 'out')]);
    expect(first.status).toBe(0);
    const again = slipway(['synth', join(dir, 'examples'), '-o', join(dir, 'out'), '--force']);
    expect(again.stderr).toBe('');
  }, 60_000);
});
