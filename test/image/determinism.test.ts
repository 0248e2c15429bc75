/** Same spec -> byte-identical image files: no timestamps, no map-order dependence. */
import { describe, expect, it } from 'vitest';
import { renderImage } from '../../src/image';
import { files, fixture, fixtureNames, modelOf } from './helpers';

describe('determinism', () => {
  it.each(fixtureNames())('%s: rendering twice gives byte-identical files', (name) => {
    const first = renderImage(fixture(name));
    const second = renderImage(fixture(name));
    expect(Object.keys(second)).toEqual(Object.keys(first));
    for (const [path, text] of Object.entries(first)) expect(Buffer.from(second[path]).equals(Buffer.from(text))).toBe(true);
  });

  it('the order of keys in the spec does not matter', () => {
    const a = modelOf(`name: w\nversion: "1"\nimage: { repository: w }\nconfig: { env: { B: "2", A: "1" } }\nsecurity: { writablePaths: [/var/b, /tmp, /var/a] }\nports: [{ name: http, containerPort: 80 }]\nbuild:\n  preset: python\n  compose: true\n  labels: { z.y: "1", a.b: "2" }\n  digests: { "python:3.12-slim": "sha256:${'e'.repeat(64)}" }\n`);
    const b = modelOf(`build:\n  digests: { "python:3.12-slim": "sha256:${'e'.repeat(64)}" }\n  labels: { a.b: "2", z.y: "1" }\n  compose: true\n  preset: python\nports: [{ name: http, containerPort: 80 }]\nsecurity: { writablePaths: [/var/a, /var/b, /tmp] }\nconfig: { env: { A: "1", B: "2" } }\nimage: { repository: w }\nversion: "1"\nname: w\n`);
    expect(renderImage(b)).toEqual(renderImage(a));
  });

  it('no timestamps or dates in any file', () => {
    for (const name of fixtureNames()) {
      for (const text of Object.values(files(fixture(name)))) expect(text).not.toMatch(/\b20\d\d-\d\d-\d\d|T\d\d:\d\d:\d\d/);
    }
  });
});

describe('.dockerignore', () => {
  it('keeps VCS data and .env files out of every context, per-preset leftovers too', () => {
    const py = files(fixture('ghillie'))['.dockerignore'].split('\n');
    expect(py).toEqual(expect.arrayContaining(['**/.git', '**/.env', '**/__pycache__/', '**/.venv/']));
    const node = files(fixture('node-api'))['.dockerignore'].split('\n');
    expect(node).toContain('**/node_modules/');
  });

  it('the static preset keeps its prebuilt binaries (dist/) in the context', () => {
    expect(files(fixture('static-agent'))['.dockerignore'].split('\n').filter((l) => /dist|bin/.test(l))).toEqual([]);
  });

  it('a copy named after the Dockerfile, which BuildKit reads when the Dockerfile is outside the context root', () => {
    const f = files(fixture('chorus-websocket-gateway'));
    expect(f['Dockerfile.dockerignore']).toBe(f['.dockerignore']);
    expect(renderImage(fixture('chorus-websocket-gateway'), { outputDir: 'services/websocket-gateway' })['Dockerfile.dockerignore']).toBeUndefined();
  });
});
