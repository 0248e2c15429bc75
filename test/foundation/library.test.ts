import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildOnce, ROOT } from '../cli/helpers';
import { App, Chart, ApiObject } from 'cdk8s';
import { SlipwayService, SpecError } from '../../src';
import { renderManifestObjects, toYamlStream } from '../../src/app/manifests';
import { loadSpecText } from '../../src/spec/load';
import { BASE } from '../support/render';

describe('TypeScript API', () => {
  it('renders next to the user\'s own constructs the same objects as the YAML spec', () => {
    const app = new App();
    const chart = new Chart(app, 'mine');
    new ApiObject(chart, 'own', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mine' } });
    new SlipwayService(chart, 'web', { name: 'web', version: '1.2.3', image: { repository: 'acme/web' }, ports: [{ name: 'http', containerPort: 8080 }] });
    const objects = chart.toJson();
    expect(objects.map((o: any) => o.metadata.name)).toContain('mine');
    const fromYaml = renderManifestObjects(loadSpecText(BASE, 'x.yaml')[0].model);
    expect(objects.filter((o: any) => o.metadata.name !== 'mine')).toEqual(fromYaml);
  });

  it('validates props with the schema and names the construct path and field', () => {
    const bad = () => new SlipwayService(new Chart(new App(), 'mine'), 'web', { name: 'web', version: '1', image: { repository: 'a' }, replicas: 'x' as unknown as number });
    expect(bad).toThrow(SpecError);
    expect(bad).toThrow('mine/web: replicas: must be integer (got "x")');
  });
});

describe('synthFiles from the package entry (compiled lib/, as `require(\'slipway\')` gives it)', () => {
  beforeAll(() => buildOnce(), 180_000);
  const lib = () => createRequire(__filename)(join(ROOT, 'lib', 'index.js')) as typeof import('../../src');
  const services = () => lib().loadSpecText(`${BASE}build: { preset: go }\n`, 'web.yaml');

  it('returns all three artefacts by default, and the manifests only with { artefacts: false }', () => {
    // A fresh process: the renderers are wired by the package entry itself, not by an earlier import.
    const script = `const s = require(${JSON.stringify(join(ROOT, 'lib', 'index.js'))});
      const svc = () => s.loadSpecText(${JSON.stringify(`${BASE}build: { preset: go }\n`)}, 'web.yaml');
      console.log(JSON.stringify([[...s.synthFiles(svc(), { artefacts: false }).keys()], [...s.synthFiles(svc()).keys()]]));`;
    const [plain, all] = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    expect(plain).toEqual(['web/manifests/web.k8s.yaml']);
    expect(all).toEqual(expect.arrayContaining(['web/manifests/web.k8s.yaml', 'web/chart/web/Chart.yaml', 'web/chart/web/templates/deployment.yaml', 'web/image/Dockerfile', 'web/image/docker-bake.hcl']));
  });

  it('the manifests are the same with and without the artefacts (one render serves both)', () => {
    const all = lib().synthFiles(services(), { artefacts: true });
    expect(all.get('web/manifests/web.k8s.yaml')).toBe(toYamlStream(renderManifestObjects(services()[0].model)));
  });
});
