/** External secrets: an ExternalSecret per store-backed secret; the pods read its Secret and roll when its data changes. */
import { describe, expect, it } from 'vitest';
import { validateCustomResource } from '../support/crd-schema';
import { errorOf, find, lineOf, renderOne, schemaErrors, WEB } from './helpers';

const SPEC = `${WEB}secrets:
  - name: app
    external:
      store: aws-secrets-manager
      refreshInterval: 30m
      data:
        - { secretKey: database-url, remoteKey: co/prod/database, property: url, version: v7 }
        - { secretKey: api-key, remoteKey: co/prod/app, property: api_key }
    env:
      DATABASE_URL: database-url
      API_KEY: api-key
`;

describe('ExternalSecret', () => {
  const objects = renderOne(SPEC);
  const es = find(objects, 'ExternalSecret');
  const template = find(objects, 'Deployment').spec.template;

  it('is an external-secrets.io/v1 ExternalSecret for the named store, filling <fullname>-<name>', () => {
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.metadata.name).toBe('web-app');
    expect(es.spec).toEqual({
      secretStoreRef: { name: 'aws-secrets-manager', kind: 'ClusterSecretStore' },
      refreshInterval: '30m',
      target: { name: 'web-app', creationPolicy: 'Owner' },
      data: [
        { secretKey: 'database-url', remoteRef: { key: 'co/prod/database', property: 'url', version: 'v7' } },
        { secretKey: 'api-key', remoteRef: { key: 'co/prod/app', property: 'api_key' } },
      ],
    });
    expect(validateCustomResource(es)).toEqual([]);
    expect(schemaErrors(objects)).toEqual([]);
  });

  it('is read by the workload from the resulting Secret, applied in an earlier sync wave', () => {
    expect(template.spec.containers[0].env).toEqual([
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'web-app', key: 'database-url' } } },
      { name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'web-app', key: 'api-key' } } },
    ]);
    expect(es.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('rolls the pods when a remote version or key changes, and only then', () => {
    const checksum = (spec: string) => find(renderOne(spec), 'Deployment').spec.template.metadata.annotations['checksum/secret-app'];
    expect(checksum(SPEC)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(SPEC)).toBe(template.metadata.annotations['checksum/secret-app']);
    expect(checksum(SPEC.replace('version: v7', 'version: v8'))).not.toBe(checksum(SPEC));
    expect(checksum(SPEC.replace('co/prod/app', 'co/prod/app2'))).not.toBe(checksum(SPEC));
    expect(checksum(SPEC.replace('refreshInterval: 30m', 'refreshInterval: 1h'))).toBe(checksum(SPEC));
  });

  it('accepts a namespaced SecretStore', () => {
    const e = find(renderOne(SPEC.replace('store: aws-secrets-manager', 'store: aws\n      storeKind: SecretStore')), 'ExternalSecret');
    expect(e.spec.secretStoreRef).toEqual({ name: 'aws', kind: 'SecretStore' });
  });
});

describe('bad input: external secrets', () => {
  it('an ExternalSecret without a store names the file, line and field', () => {
    const spec = SPEC.replace('      store: aws-secrets-manager\n', '');
    expect(errorOf(spec)).toBe(`x.yaml:${lineOf(spec, 'refreshInterval: 30m')}:7: secrets[0].external: missing required field "store"`);
  });

  it('an env var reading a key the ExternalSecret does not produce', () => {
    const spec = SPEC.replace('API_KEY: api-key', 'API_KEY: apikey');
    expect(errorOf(spec)).toBe(`x.yaml:${lineOf(spec, 'API_KEY: apikey')}:16: secrets[0].env.API_KEY: reads key "apikey", which the ExternalSecret does not produce (keys: database-url, api-key)`);
  });
});
