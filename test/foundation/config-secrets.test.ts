import { describe, expect, it } from 'vitest';
import { BASE, render, find, mainContainer, loadError } from '../support/render';

const checksum = (objects: any[]) => find(objects, 'Deployment').spec.template.metadata.annotations['checksum/config'];

describe('config', () => {
  const objects = render(`${BASE}config:
  env: { LOG_LEVEL: info }
  files: { app.yaml: "a: 1\\n" }
  mountPath: /etc/web
`);

  it('puts env vars in a ConfigMap loaded with envFrom and files in a mounted ConfigMap', () => {
    const maps = objects.filter((o) => o.kind === 'ConfigMap');
    expect(maps.map((m) => [m.metadata.name, m.data])).toEqual([['web-env', { LOG_LEVEL: 'info' }], ['web-files', { 'app.yaml': 'a: 1\n' }]]);
    const c = mainContainer(objects);
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'web-env' } }]);
    expect(c.volumeMounts).toContainEqual({ name: 'config-files', mountPath: '/etc/web', readOnly: true });
  });

  it('rolls the pods when the config changes (checksum annotation)', () => {
    const other = render(`${BASE}config:\n  env: { LOG_LEVEL: debug }\n  files: { app.yaml: "a: 1\\n" }\n  mountPath: /etc/web\n`);
    expect(checksum(objects)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(other)).not.toBe(checksum(objects));
  });
});

describe('secrets', () => {
  it('reads env vars from keys of an existing Secret and writes no Secret', () => {
    const objects = render(`${BASE}secrets:\n  - { name: db, existingSecret: web-db, env: { DATABASE_URL: url } }\n`);
    expect(mainContainer(objects).env).toEqual([{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'web-db', key: 'url' } } }]);
    expect(find(objects, 'Secret')).toBeUndefined();
  });

  it('refuses inline values without the per-secret opt-in', () => {
    expect(loadError(`${BASE}secrets:\n  - name: api\n    inline: { allowPlaintextInOutput: false, values: { token: s3cr3t } }\n    env: { TOKEN: token }\n`))
      .toMatch(/^spec\.yaml:7:39: secrets\[0\]\.inline\.allowPlaintextInOutput: must be true to write secret values in plain text/);
  });

  it('writes inline values only with the opt-in, annotated', () => {
    const objects = render(`${BASE}secrets:\n  - name: api\n    inline: { allowPlaintextInOutput: true, values: { token: s3cr3t } }\n    env: { TOKEN: token }\n`);
    const secret = find(objects, 'Secret');
    expect(secret.metadata.name).toBe('web-api');
    expect(secret.metadata.annotations['slipway.dev/plaintext-secret']).toBeDefined();
    expect(secret.stringData).toEqual({ token: 's3cr3t' });
  });

  it('writes opted-in values to the Secret and values.yaml only, not to the chart README', async () => {
    const { loadSpecText } = await import('../../src/spec/load');
    const { renderChart } = await import('../../src/chart/render-chart');
    const [svc] = loadSpecText(`${BASE}secrets:\n  - name: api\n    inline: { allowPlaintextInOutput: true, values: { token: s3cr3t-v4lue } }\n    env: { TOKEN: token }\n`, 'spec.yaml');
    const chart = renderChart(svc.model);
    expect(chart['web/values.yaml']).toContain('s3cr3t-v4lue');
    expect(chart['web/README.md']).toMatch(/\| `secrets\.api\.values` \| .* \| secret: see values\.yaml \|/);
    // The template reads the values from .Values: values.yaml is the only chart file holding them.
    expect(Object.keys(chart).filter((f) => chart[f].includes('s3cr3t-v4lue'))).toEqual(['web/values.yaml']);
  });

  it('does not echo a secret value in an error message', () => {
    const message = loadError(`${BASE}secrets:\n  - name: api\n    inline: { allowPlaintextInOutput: true, values: { token: 918273645 } }\n`);
    expect(message).toMatch(/secrets\[0\]\.inline\.values\.token: must be string \(got a number\)/);
    expect(message).not.toContain('918273645');
  });

  it('never writes a value of an existing secret reference into the output', () => {
    const text = JSON.stringify(render(`${BASE}secrets:\n  - { name: db, existingSecret: web-db, envFromAll: true }\n`));
    expect(text).not.toMatch(/stringData|"data"/);
  });
});

describe('manifest YAML', () => {
  it('quotes strings a YAML 1.1 reader (kubectl, Argo CD) would read as bools or numbers', async () => {
    const { toYamlStream } = await import('../../src/app/manifests');
    const { parse } = await import('yaml');
    const objects = render(`${BASE}config:\n  env: { A: "on", B: "yes", C: "0o14", D: "1:20", E: "off" }\n`);
    const cm = parse(toYamlStream([find(objects, 'ConfigMap')]), { version: '1.1' });
    expect(cm.data).toEqual({ A: 'on', B: 'yes', C: '0o14', D: '1:20', E: 'off' });
  });
});
