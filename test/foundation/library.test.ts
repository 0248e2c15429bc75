import { describe, expect, it } from 'vitest';
import { App, Chart, ApiObject } from 'cdk8s';
import { SlipwayService, SpecError } from '../../src';
import { renderManifestObjects } from '../../src/app/manifests';
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
    expect(bad).toThrow('mine/web: replicas: must be number (got "x")');
  });
});
