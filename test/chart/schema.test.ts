/** values.schema.json: helm rejects values that break it, with the schema validator's message. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpecText } from '../../src/spec/load';
import { helm, helmBinaries } from '../support/helm';
import { KUBE_VERSION_ARGS, writeChart, writeValues } from './fixture';

const svc = loadSpecText(`name: web
version: 1.2.3
image: { repository: acme/web }
ports: [{ name: http, containerPort: 8080 }]
config: { env: { MODE: fast } }
health: { http: { path: /healthz }, readiness: { http: { path: /ready } } }
`, 'web.yaml')[0];
const dir = writeChart(svc.model);

/** Values files that break the schema, and what the error must say. */
const broken: [string, string, RegExp[]][] = [
  ['a string replica count', 'replicaCount: "three"\n', [/replicaCount/, /integer/]],
  ['an unknown top-level key', 'replicaCuont: 3\n', [/replicaCuont/, /not allowed/i]],
  ['an unknown key in a fixed-shape map', 'image:\n  tagg: "2"\n', [/tagg/, /not allowed/i]],
  ['a pull policy outside the enum', 'image:\n  pullPolicy: Sometimes\n', [/pullPolicy/, /IfNotPresent|enum|must be one of/i]],
  ['a zero probe period', 'livenessProbe:\n  periodSeconds: 0\n', [/periodSeconds/, /1/]],
  ['a number as a config env value', 'config:\n  env:\n    MODE: 3\n', [/MODE/, /string/]],
  ['a Service port out of range', 'service:\n  ports:\n    http: 70000\n', [/http/, /65,?535/]],
];

describe('values.schema.json', () => {
  it('is draft-07 and closed at the top level and on fixed-shape maps, open on free maps', () => {
    const schema = JSON.parse(readFileSync(join(dir, 'values.schema.json'), 'utf8'));
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    for (const k of ['image', 'livenessProbe', 'autoscaling', 'pdb', 'service']) expect(schema.properties[k].additionalProperties, k).toBe(false);
    for (const k of ['podAnnotations', 'resources', 'affinity']) expect(schema.properties[k].additionalProperties, k).not.toBe(false);
    expect(schema.properties.image.properties.pullPolicy.enum).toEqual(['Always', 'IfNotPresent', 'Never']);
    expect(schema.properties.replicaCount).toMatchObject({ type: 'integer', minimum: 0 });
    // Closed to Pod Security "restricted" and required (test/hostile/chartpss.test.ts tries to get around it).
    for (const k of ['podSecurityContext', 'containerSecurityContext']) expect(schema.properties[k], k).toMatchObject({ type: 'object', additionalProperties: false });
    expect(schema.required).toEqual(expect.arrayContaining(['podSecurityContext', 'containerSecurityContext']));
    expect(schema.properties.containerSecurityContext.properties.privileged.enum).toEqual([false]);
  });

  describe.each(helmBinaries())('with $name', (bin) => {
    it.each(broken)('rejects %s', (_what, values, messages) => {
      const file = writeValues('broken.yaml', values);
      for (const cmd of [['template', 'web', dir, ...KUBE_VERSION_ARGS, '-f', file], ['lint', '--strict', dir, '-f', file]]) {
        const r = helm(bin, cmd);
        expect(r.status, cmd[0]).not.toBe(0);
        const out = r.stderr + r.stdout;
        expect(out).toMatch(/values don't meet the specifications of the schema/);
        for (const m of messages) expect(out).toMatch(m);
      }
    });

    it('accepts the defaults and --set of valid values', () => {
      const r = helm(bin, ['template', 'web', dir, ...KUBE_VERSION_ARGS, '--set', 'replicaCount=3', '--set', 'image.tag=2', '--set-string', 'config.env.MODE=4']);
      expect(r.status, r.stderr).toBe(0);
    });
  });
});

const withExternal = loadSpecText(`name: shop
version: 1.2.3
image: { repository: acme/shop }
ports: [{ name: http, containerPort: 8080 }]
health: { http: { path: /healthz } }
secrets:
  - name: db
    external: { store: vault, data: [{ secretKey: url, remoteKey: shop/db, property: url }] }
    env: { DATABASE_URL: url }
`, 'shop.yaml')[0];
const externalDir = writeChart(withExternal.model);

/** ExternalSecret values are as strict as the spec (issue: `remoteKey` in values rendered an invalid object). */
const brokenExternal: [string, string, RegExp][] = [
  ['the spec\'s remoteKey instead of remoteRef.key', 'secrets:\n  db:\n    data:\n      - { secretKey: url, remoteKey: shop/db }\n', /remoteKey|remoteRef/],
  ['a store kind outside the enum', 'secrets:\n  db:\n    storeKind: Vault\n', /storeKind/],
  ['a refresh interval that is not a duration', 'secrets:\n  db:\n    refreshInterval: hourly\n', /refreshInterval/],
  ['a secret key with a slash', 'secrets:\n  db:\n    data:\n      - { secretKey: a/b, remoteRef: { key: k } }\n', /secretKey/],
  ['no keys at all', 'secrets:\n  db:\n    data: []\n', /data/],
];

describe.each(helmBinaries())('ExternalSecret values with $name', (bin) => {
  it.each(brokenExternal)('rejects %s', (_what, values, message) => {
    const r = helm(bin, ['template', 'shop', externalDir, ...KUBE_VERSION_ARGS, '-f', writeValues('broken-external.yaml', values)]);
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/values don't meet the specifications of the schema/);
    expect(r.stderr + r.stdout).toMatch(message);
  });

  it('accepts a valid override of every ExternalSecret value', () => {
    const values = 'secrets:\n  db:\n    store: other\n    storeKind: SecretStore\n    refreshInterval: 15m\n    data:\n      - { secretKey: url, remoteRef: { key: shop/db2, property: url, version: v2 } }\n';
    const r = helm(bin, ['template', 'shop', externalDir, ...KUBE_VERSION_ARGS, '-f', writeValues('good-external.yaml', values)]);
    expect(r.status, r.stderr).toBe(0);
  });
});
