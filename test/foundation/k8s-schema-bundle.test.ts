/**
 * schema/k8s-1.28.json (what `extraObjects` and patched objects are validated with at synth time)
 * is what scripts/gen-k8s-schema.mjs makes of ../shared/k8s-schemas and ../shared/crds, and it
 * refuses what the tests' own strict validators refuse.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaViolations, knownKind, crdScope } from '../../src/model/k8s-schema';
import { validateK8sObject } from '../support/k8s-schema';
import { validateCustomResource } from '../support/crd-schema';

const ROOT = join(__dirname, '..', '..');

describe('schema/k8s-1.28.json', () => {
  it('is up to date with ../shared (node scripts/gen-k8s-schema.mjs)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'slipway-k8s-schema-')), 'k8s.json');
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'gen-k8s-schema.mjs'), join(ROOT, '..', 'shared'), out], { stdio: 'pipe' });
    expect(readFileSync(out, 'utf8') === readFileSync(join(ROOT, 'schema', 'k8s-1.28.json'), 'utf8')).toBe(true);
  });

  it.each([
    [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } }, true],
    [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, datum: { k: 'v' } }, false],
    [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'c', image: 'x', securityContext: { privileged: 'yes' } }] } } } }, false],
    [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'c' }] } } } }, true],
    [{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'a', labelz: {} }, spec: {} }, false],
  ])('agrees with the strict Kubernetes validator of the tests (%#)', (obj, valid) => {
    expect(schemaViolations(obj).length === 0).toBe(valid);
    expect(validateK8sObject(obj).length === 0).toBe(valid);
  });

  it.each([
    [{ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'a' }, spec: { selector: {}, endpoints: [{ port: 'http' }] } }, true],
    [{ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'a' }, spec: { selector: {}, endpoints: [{ port: 'http', portt: 1 }] } }, false],
    [{ apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'a', namespaec: 'x' }, spec: {} }, false],
  ])('agrees with the CRD validator of the tests (%#)', (obj, valid) => {
    expect(schemaViolations(obj).length === 0).toBe(valid);
    expect(validateCustomResource(obj).length === 0).toBe(valid);
  });

  it('knows core kinds and CRD kinds with their scope, and not others', () => {
    expect(knownKind({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' })).toBe(true);
    expect(knownKind({ apiVersion: 'apps/v1beta2', kind: 'Deployment' })).toBe(false);
    expect(crdScope({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' })).toBe('Namespaced');
    expect(crdScope({ apiVersion: 'v1', kind: 'ConfigMap' })).toBeUndefined();
  });
});
