import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../support/examples';
import { BASE, loadError } from '../support/render';

/** Runs the compiled cdk8s app (what `cdk8s synth` runs) on one spec into an outdir holding a sentinel. */
function synth(spec: string) {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bad-'));
  mkdirSync(join(dir, 'specs'));
  writeFileSync(join(dir, 'specs', 'svc.yaml'), spec);
  const out = join(dir, 'out');
  mkdirSync(out);
  writeFileSync(join(out, 'sentinel'), 'before');
  const r = spawnSync('node', [join(ROOT, 'lib', 'app', 'main.js')], { env: { ...process.env, SLIPWAY_SPECS: join(dir, 'specs'), CDK8S_OUTDIR: out, SLIPWAY_FORCE_REPLACE: '1' }, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr.replace(join(dir, 'specs') + '/', ''), untouched: readdirSync(out).join(',') === 'sentinel' && readFileSync(join(out, 'sentinel'), 'utf8') === 'before', out };
}

/** Eight levels of ten aliases each: 10^8 values if expanded. */
function aliasBomb(): string {
  const levels = ['x0: &x0 [a, a, a, a, a, a, a, a, a, a]'];
  for (let i = 1; i < 8; i++) levels.push(`x${i}: &x${i} [${Array(10).fill(`*x${i - 1}`).join(', ')}]`);
  return `${levels.join('\n')}\n`;
}

describe('bad input: precise error, exit 2, nothing written', () => {
  const cases: [string, string, string][] = [
    ['malformed YAML', `name: web\nimage: [unclosed\n`, 'svc.yaml:3:1: YAML syntax: '],
    ['an unknown key, with a suggestion', `${BASE}helth: { http: { path: /h } }\n`, 'svc.yaml:5:1: helth: unknown field; did you mean "health"?'],
    ['a wrong type', `${BASE}replicas: three\n`, 'svc.yaml:5:11: replicas: must be integer (got "three")'],
    ['a fractional port', BASE.replace('containerPort: 8080', 'containerPort: 80.5'), 'svc.yaml:4:38: ports[0].containerPort: must be integer (got 80.5)'],
    ['a negative replica count', `${BASE}replicas: -1\n`, 'svc.yaml:5:11: replicas: must be >= 0 (got -1)'],
    ['a percentage over 100% for a PodDisruptionBudget', `${BASE}pdb: { minAvailable: "150%" }\n`, 'svc.yaml:5:22: pdb.minAvailable: must be a whole number, or a whole percentage from 0% to 100% such as "25%" (got "150%")'],
    ['a malformed quantity, in words rather than a regular expression', `${BASE}resources: { requests: { cpu: "1 core" } }\n`, 'svc.yaml:5:31: resources.requests.cpu: must be a Kubernetes quantity such as 100m, 0.5 or 128Mi, or none to remove the default (got "1 core")'],
    ['a bad environment variable name, located at the key', `${BASE}config: { env: { 1BAD: x } }\n`, 'svc.yaml:5:18: config.env["1BAD"]: key must be an environment variable name'],
    ['a pod label that would take the pods out of their selector', `${BASE}podLabels: { app.kubernetes.io/name: other }\n`, 'svc.yaml:5:38: podLabels["app.kubernetes.io/name"]: is a selector label'],
    ['a fractional number where a number or a percentage goes', `${BASE}pdb: { minAvailable: 1.5 }\n`, 'svc.yaml:5:22: pdb.minAvailable: must be integer or string (got 1.5)'],
    ['a probe on an undeclared port', `${BASE}health: { grpc: { port: 9090 } }\n`, 'svc.yaml:5:25: health.grpc.port: targets port 9090, which the container does not declare'],
    ['an HPA with fixed replicas', `${BASE}replicas: 2\nautoscaling: { maxReplicas: 4 }\n`, 'svc.yaml:5:11: replicas: is fixed while autoscaling is enabled'],
    ['an alias without an anchor', `${BASE}replicas: *two\n`, 'svc.yaml:5:11: YAML alias *two has no anchor before it'],
    ['aliases that expand too far', `${BASE}${aliasBomb()}`, 'svc.yaml:11:10: YAML aliases: expand this spec beyond 4 MiB (the limit)'],
    ['an alias that makes a map contain itself', `${BASE}labels: &a { x: *a }\n`, 'svc.yaml:5:17: labels.x: is a YAML alias of a map or list that contains it (a cycle)'],
    ['a list as a map key', `${BASE}labels: { [a]: x }\n`, 'svc.yaml:5:11: a map key must be a string'],
    ['a null map key', `${BASE}labels: { ~: x }\n`, 'svc.yaml:5:11: a map key must be a string'],
    ['a key cdk8s cannot render', `${BASE}labels: { constructor: x }\n`, 'svc.yaml:5:11: labels.constructor: "constructor" cannot be a key'],
    ['a __proto__ key', `${BASE}config: { env: { __proto__: x } }\n`, 'svc.yaml:5:18: config.env.__proto__: "__proto__" cannot be a key'],
    ['a YAML tag that makes a set', `${BASE}networkPolicy: { ingressFrom: [{ podLabels: !!set { a } }] }\n`, 'svc.yaml:5:51: networkPolicy.ingressFrom[0].podLabels: must be a plain YAML map, list or scalar (got a Set'],
    ['a YAML tag that makes a date', `${BASE}labels: { since: !!timestamp 2001-01-01 }\n`, 'svc.yaml:5:30: labels.since: must be a plain YAML map, list or scalar (got a Date'],
    ['two documents rendering the same service', `${BASE}---\n${BASE}`, 'svc.yaml:6:7: name: two services render as "web"'],
    ['a missing required field', `name: web\nversion: "1"\n`, 'svc.yaml:1:1: missing required field "image"'],
  ];
  for (const [what, spec, message] of cases) {
    it(what, () => {
      const r = synth(spec);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.untouched).toBe(true);
    });
  }

  it('a valid spec does write the output (the harness can tell)', () => {
    const r = synth(BASE);
    expect(r.status).toBe(0);
    expect(existsSync(join(r.out, 'web', 'manifests', 'web.k8s.yaml'))).toBe(true);
    expect(existsSync(join(r.out, 'sentinel'))).toBe(false);
  });

  it('reports every problem of a file at once', () => {
    const msg = loadError(`${BASE}replicas: three\nhelth: {}\n`)!;
    expect(msg.split('\n')).toHaveLength(2);
  });

  it('lists the problems of a file in reading order (by line and column), one per bad map key', () => {
    // The schema reports these in its own (alphabetical) order, config first, and each bad env key twice (pattern + propertyNames).
    const msg = loadError(`${BASE}pdb: { minAvailable: "150%" }\nresources: { requests: { cpu: "1 core" } }\nconfig: { env: { 1BAD: x, 2BAD: y } }\n`)!;
    const where = msg.split('\n').map((l) => l.replace(/^.*?:(\d+:\d+): ([^:]+):.*$/, '$1 $2'));
    expect(where).toEqual(['5:22 pdb.minAvailable', '6:31 resources.requests.cpu', '7:18 config.env["1BAD"]', '7:27 config.env["2BAD"]']);
  });
});
