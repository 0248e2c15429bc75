/** `slipway validate`: errors (exit 1) with file:line and field, policy warnings, --strict, --json. */
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOnce, slipway, tempDir, copyExamples, exampleFiles, BASE } from './helpers';

beforeAll(() => buildOnce(), 180_000);

/** A directory holding one spec file `svc.yaml`. */
function spec(text: string): string {
  const dir = tempDir('validate');
  writeFileSync(join(dir, 'svc.yaml'), text);
  return dir;
}

/** A service with probes and resources: no policy warning. */
const CLEAN = `${BASE}health: { http: { path: /healthz, port: http } }\n`;

describe('slipway validate', () => {
  it('passes the examples without errors', () => {
    const dir = copyExamples();
    const r = slipway(['validate', dir]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${exampleFiles(dir).length} files, \\d+ services: 0 errors, \\d+ warnings?`));
  });

  it('passes a clean spec without warnings, even with --strict', () => {
    const r = slipway(['validate', '--strict', spec(CLEAN)]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1 file, 1 service: 0 errors, 0 warnings\n');
  });

  it('reports errors by file, line, column and field, and exits 1', () => {
    const dir = spec(`${BASE}replicas: three\nhelth: {}\n`);
    const r = slipway(['validate', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'svc.yaml')}:5:11: replicas: must be integer (got "three")`);
    expect(r.stderr).toContain(`${join(dir, 'svc.yaml')}:6:1: helth: unknown field; did you mean "health"?`);
    expect(r.stdout).toMatch(/2 errors/);
  });

  it('reports cross-service problems (a sidecar without its host)', () => {
    const dir = spec(`${BASE}workload: { kind: Sidecar, sidecar: { host: nowhere } }\n`);
    const r = slipway(['validate', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/svc\.yaml:\d+:\d+: workload\.sidecar\.host: "nowhere" is not a service of this run/);
  });

  const warnings: [string, string, RegExp][] = [
    ['no health probes', BASE, /svc\.yaml:1:1: warning: service "web" has no health probes.* \[no-probes\]/],
    ['an image tag `latest`', `${CLEAN}image: { repository: acme/web, tag: latest }\n`.replace('image: { repository: acme/web }\n', ''), /svc\.yaml:\d+:\d+: warning: image\.tag: makes the image tag `latest`.* \[mutable-tag\]/],
    ['no resources', `${CLEAN}resources: none\n`, /svc\.yaml:6:12: warning: resources: is none.* \[no-resources\]/],
    ['no memory limit', `${CLEAN}resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { memory: none } }\n`, /warning: resources: sets no memory limit.* \[no-resources\]/],
    ['a single replica', `${CLEAN}replicas: 1\n`, /svc\.yaml:6:11: warning: replicas: is 1.* \[single-replica\]/],
  ];
  for (const [what, text, message] of warnings) {
    it(`warns about ${what}, without failing unless --strict`, () => {
      const dir = spec(text);
      const r = slipway(['validate', dir]);
      expect(r.status).toBe(0);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toMatch(/0 errors, [1-9]\d* warnings?\n$/);
      const strict = slipway(['validate', '--strict', dir]);
      expect(strict.status).toBe(1);
      expect(strict.stdout).toMatch(/--strict: warnings fail/);
    });
  }

  it('--json prints machine-readable findings', () => {
    const r = slipway(['validate', '--json', spec(BASE)]);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ valid: true, files: 1, services: 1, errors: [] });
    expect(json.warnings[0]).toMatchObject({ rule: 'no-probes', line: 1, column: 1 });
    const bad = JSON.parse(slipway(['validate', '--json', spec(`${BASE}replicas: three\n`)]).stdout);
    expect(bad.valid).toBe(false);
    expect(bad.errors[0]).toMatchObject({ line: 5, column: 11, path: 'replicas' });
  });
});
