/** Chart.yaml metadata from the spec and the artifacthub.io/images annotation (issue 17). */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderChart } from '../../src/chart/render-chart';
import { loadSpecText } from '../../src/spec/load';
import { SpecError } from '../../src/spec/errors';
import { writeFiles } from '../../src/chart/write';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helmBinaries, helm } from '../support/helm';
import { exampleServices } from '../support/examples';

const BASE = `name: web\nversion: 2.4.0\nimage: { registry: ghcr.io, repository: acme/web, tag: "2.4.0" }\nports: [{ name: http, containerPort: 8080 }]\n`;
const META = `chart:
  version: 1.0.0
  home: https://example.com/web
  sources: [https://github.com/acme/web]
  maintainers:
    - { name: Platform Team, email: platform@example.com, url: "https://example.com/team" }
    - { name: Solo }
  icon: https://example.com/web.svg
  keywords: [web, http api]
`;

const files = (text: string) => renderChart(loadSpecText(text, 'web.yaml')[0].model);

describe('Chart.yaml metadata', () => {
  it('writes home, sources, maintainers, icon and keywords from the spec', () => {
    const c = parse(files(BASE + META)['web/Chart.yaml']);
    expect(c).toMatchObject({
      version: '1.0.0',
      home: 'https://example.com/web',
      sources: ['https://github.com/acme/web'],
      maintainers: [{ name: 'Platform Team', email: 'platform@example.com', url: 'https://example.com/team' }, { name: 'Solo' }],
      icon: 'https://example.com/web.svg',
      keywords: ['web', 'http api'],
    });
  });

  it('omits what the spec does not set', () => {
    const c = parse(files(BASE)['web/Chart.yaml']);
    for (const k of ['home', 'sources', 'maintainers', 'icon', 'keywords']) expect(c).not.toHaveProperty(k);
  });

  it('lists the images in artifacthub.io/images (a YAML list in a string), the sidecars of a host too', () => {
    const c = parse(files(BASE)['web/Chart.yaml']);
    expect(parse(c.annotations['artifacthub.io/images'])).toEqual([{ name: 'web', image: 'ghcr.io/acme/web:2.4.0' }]);
    const digest = `sha256:${'a'.repeat(64)}`;
    const pinned = parse(files(BASE.replace('tag: "2.4.0"', `tag: "2.4.0", digest: "${digest}"`))['web/Chart.yaml']);
    expect(parse(pinned.annotations['artifacthub.io/images'])[0].image).toBe(`ghcr.io/acme/web:2.4.0@${digest}`);
    const shipyard = exampleServices().find((s) => s.model.name === 'shipyard')!;
    const host = parse(renderChart(shipyard.model)['shipyard/Chart.yaml']);
    expect(parse(host.annotations['artifacthub.io/images']).map((i: { name: string }) => i.name)).toEqual(['shipyard', 'gophership']);
  });

  it.each([
    ['home: "ftp://x"', /chart\.home: .*http/],
    ['home: "https://x y"', /chart\.home: /],
    ['icon: "javascript:alert(1)"', /chart\.icon: /],
    ['sources: ["https://a\\nb"]', /chart\.sources\[0\]: must be an http/],
    ['maintainers: [{ email: a@b.c }]', /chart\.maintainers\[0\]: missing required field \"name\"/],
    ['maintainers: [{ name: x, email: "not an email" }]', /chart\.maintainers\[0\]\.email: must be an e-mail address/],
    ['keywords: ["UPPER"]', /chart\.keywords\[0\]: must be a keyword/],
    ['homepage: "https://x"', /chart\.homepage: unknown field \(allowed: version, home, sources/],
  ])('refuses chart.%s with a located error', (field, message) => {
    let error: unknown;
    try {
      loadSpecText(`${BASE}chart:\n  ${field}\n`, 'web.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as Error).message).toMatch(/web\.yaml:\d+:\d+: /);
    expect((error as Error).message).toMatch(message);
  });

  it.each(helmBinaries().map((b) => [b.name, b] as const))('passes helm lint --strict with every field set (%s)', (_n, bin) => {
    const root = mkdtempSync(join(tmpdir(), 'slipway-meta-'));
    writeFiles(root, files(BASE + META));
    const r = helm(bin, ['lint', '--strict', join(root, 'web')]);
    expect(r.stdout + r.stderr).toContain('0 chart(s) failed');
    expect(r.status).toBe(0);
    const shown = parse(helm(bin, ['show', 'chart', join(root, 'web')]).stdout);
    expect(shown.maintainers).toHaveLength(2);
  });
});
