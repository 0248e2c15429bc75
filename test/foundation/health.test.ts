import { describe, expect, it } from 'vitest';
import { BASE, render, mainContainer, loadError } from '../support/render';

describe('health: one declaration drives startup, liveness and readiness', () => {
  it('derives all three probes from a shared HTTP check on a named port, with differing timings', () => {
    const c = mainContainer(render(`${BASE}health: { http: { path: /healthz, port: http } }\n`));
    for (const p of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      expect(c[p].httpGet).toEqual({ path: '/healthz', port: 'http', scheme: 'HTTP' });
    }
    expect(c.startupProbe).toMatchObject({ periodSeconds: 5, failureThreshold: 30 });
    expect(c.livenessProbe).toMatchObject({ periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 });
    expect(c.readinessProbe).toMatchObject({ periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 });
    expect(c.livenessProbe).not.toEqual(c.readinessProbe);
  });

  it('writes HTTP headers, a scheme and a port by number', () => {
    const c = mainContainer(render(`${BASE}health: { http: { path: /h, port: 8080, scheme: HTTPS, headers: { X-Probe: kube } } }\n`));
    expect(c.readinessProbe.httpGet).toEqual({ path: '/h', port: 8080, scheme: 'HTTPS', httpHeaders: [{ name: 'X-Probe', value: 'kube' }] });
  });

  it('writes a native gRPC probe, resolving a named port to its number', () => {
    const c = mainContainer(render(`${BASE}health: { grpc: { port: http, service: somatic } }\n`));
    expect(c.livenessProbe.grpc).toEqual({ port: 8080, service: 'somatic' });
  });

  it('supports tcp and exec checks, and per-probe overrides', () => {
    const c = mainContainer(render(`${BASE}health:
  tcp: { port: http }
  liveness: { exec: { command: [/bin/check, --live] }, periodSeconds: 20 }
`));
    expect(c.startupProbe.tcpSocket).toEqual({ port: 'http' });
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(c.livenessProbe.exec).toEqual({ command: ['/bin/check', '--live'] });
    expect(c.livenessProbe.periodSeconds).toBe(20);
  });

  it('renders no probe at all without a health declaration (no surprise probes)', () => {
    const c = mainContainer(render(BASE));
    expect(c.startupProbe).toBeUndefined();
    expect(c.livenessProbe).toBeUndefined();
    expect(c.readinessProbe).toBeUndefined();
  });

  it('lets a probe be switched off', () => {
    const c = mainContainer(render(`${BASE}health: { http: { path: /h }, startup: { enabled: false } }\n`));
    expect(c.startupProbe).toBeUndefined();
    expect(c.livenessProbe).toBeDefined();
  });

  it('rejects a probe on an undeclared port, naming the field and the declared ports', () => {
    expect(loadError(`${BASE}health:\n  http: { path: /h, port: metrics }\n`)).toBe(
      'spec.yaml:6:27: health.http.port: targets port "metrics", which the container does not declare (declared: http (8080)). Add it to `ports` or probe a declared port');
  });

  it('rejects identical liveness and readiness unless allowed', () => {
    const spec = `${BASE}health:
  http: { path: /h }
  liveness: { http: { path: /h }, periodSeconds: 5, timeoutSeconds: 2 }
`;
    expect(loadError(spec)).toMatch(/^spec\.yaml:7:13: health\.liveness: is identical to health\.readiness/);
    expect(loadError(`${spec}  allowIdenticalLivenessAndReadiness: true\n`)).toBeUndefined();
  });

  it('rejects a check with two kinds', () => {
    expect(loadError(`${BASE}health: { http: { path: /h }, tcp: { port: http } }\n`)).toMatch(/health: declares http and tcp/);
  });
});
