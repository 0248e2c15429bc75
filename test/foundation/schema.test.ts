import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { join } from 'node:path';
import { ROOT } from '../support/examples';
import { validateK8sObject } from '../support/k8s-schema';

describe('schemas', () => {
  it('schema/slipway.schema.json is generated from src/spec/types.ts and up to date', () => {
    expect(() => execFileSync('node', [join(ROOT, 'scripts', 'gen-schema.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  }, 60_000);

  it('every pattern of the spec schema says in words what it asks for (@patternMessage), so no error shows a regular expression', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'slipway.schema.json'), 'utf8'));
    const messages = JSON.parse(readFileSync(join(ROOT, 'schema', 'slipway.pattern-messages.json'), 'utf8')) as Record<string, string>;
    const patterns: string[] = [];
    const visit = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (typeof n.pattern === 'string') patterns.push(n.pattern);
      Object.values(n).forEach(visit);
    };
    visit(schema);
    expect(patterns.length).toBeGreaterThan(15);
    expect(patterns.filter((p) => !messages[p])).toEqual([]);
  });

  it('the shipped spec schema has no keyword of its own: ajv in strict mode (ajv-cli\'s default) compiles it', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'slipway.schema.json'), 'utf8'));
    expect(() => new Ajv({ strictSchema: true, strictTypes: false, allowUnionTypes: true }).compile(schema)).not.toThrow();
    expect(() => new Ajv({ strictSchema: true }).compile({ type: 'string', patternMessage: 'x' }), 'strict mode rejects unknown keywords').toThrow(/unknown keyword/);
  });

  it('the strict Kubernetes validator rejects an unknown field and a wrong type (so the example checks can fail)', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } };
    expect(validateK8sObject(cm)).toEqual([]);
    expect(validateK8sObject({ ...cm, spec: {} })).toEqual(['ConfigMap/x: / must NOT have additional properties (spec)']);
    const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 'two', selector: {}, template: {} } };
    expect(validateK8sObject(deploy)).toEqual(['Deployment/d: /spec/replicas must be integer']);
  });
});
