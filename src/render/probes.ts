import type { CheckModel, ProbeModel } from '../model/types';
import type { Binding } from './recorder';
import type { RenderContext } from './context';

type ProbeName = 'startup' | 'liveness' | 'readiness';

/**
 * Renders one probe. Kubernetes' own gRPC probe and HTTP headers / named ports are written
 * directly, so no check is lost the way cdk8s-plus-28's Probe would lose it.
 */
export function renderProbe(p: ProbeModel): Record<string, unknown> {
  return {
    ...renderCheck(p.check),
    initialDelaySeconds: p.initialDelaySeconds,
    periodSeconds: p.periodSeconds,
    timeoutSeconds: p.timeoutSeconds,
    failureThreshold: p.failureThreshold,
    successThreshold: p.successThreshold,
  };
}

function renderCheck(c: CheckModel): Record<string, unknown> {
  switch (c.type) {
    case 'http':
      return { httpGet: { path: c.path, port: c.port, scheme: c.scheme, ...(c.headers.length ? { httpHeaders: c.headers } : {}) } };
    case 'grpc':
      return { grpc: { port: c.port, ...(c.service ? { service: c.service } : {}) } };
    case 'tcp':
      return { tcpSocket: { port: c.port } };
    case 'exec':
      return { exec: { command: [...c.command] } };
  }
}

/** Records `<name>Probe.enabled` and the timings as values for a probe at `path`. */
export function recordProbe(ctx: RenderContext, bs: Binding[], name: ProbeName, path: string, p: ProbeModel): void {
  const key = `${name}Probe`;
  ctx.rec.declare(`${key}.enabled`, `Enable the ${name} probe`, p.enabled);
  ctx.rec.when(bs, path, { key: `${key}.enabled` });
  for (const t of ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold'] as const) {
    ctx.rec.scalar(bs, `${path}/${t}`, `${key}.${t}`, `${t} of the ${name} probe`);
  }
}
