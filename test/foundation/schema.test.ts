import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/examples';
import { validateK8sObject } from '../support/k8s-schema';

describe('schemas', () => {
  it('schema/slipway.schema.json is generated from src/spec/types.ts and up to date', () => {
    expect(() => execFileSync('node', [join(ROOT, 'scripts', 'gen-schema.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  }, 60_000);

  it('every pattern of the spec schema says in words what it asks for (@patternMessage), so no error shows a regular expression', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'slipway.schema.json'), 'utf8'));
    const patterns: string[] = [];
    const unexplained: string[] = [];
    const visit = (node: unknown, at: string): void => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (typeof n.pattern === 'string') {
        patterns.push(at);
        if (typeof n.patternMessage !== 'string' || !n.patternMessage) unexplained.push(at);
      }
      for (const [k, v] of Object.entries(n)) visit(v, `${at}/${k}`);
    };
    visit(schema, '#');
    expect(patterns.length).toBeGreaterThan(15);
    expect(unexplained).toEqual([]);
  });

  it('the strict Kubernetes validator rejects an unknown field and a wrong type (so the example checks can fail)', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } };
    expect(validateK8sObject(cm)).toEqual([]);
    expect(validateK8sObject({ ...cm, spec: {} })).toEqual(['ConfigMap/x: / must NOT have additional properties (spec)']);
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 'two', selector: {}, template: {} } };
    expect(validateK8sObject(deploy)).toEqual(['Deployment/d: /spec/replicas must be integer']);
  });
});
