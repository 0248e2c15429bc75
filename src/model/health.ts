import type { HealthCheckSpec, HealthSpec, ProbeSpec } from '../spec/types';
import type { CheckModel, HealthModel, PortModel, ProbeModel } from './types';
import type { Problems } from './problems';
import type { FieldPath } from '../spec/errors';

type ProbeName = 'startup' | 'liveness' | 'readiness';

/** Default timings per probe. Liveness and readiness differ on purpose: see HealthSpec. */
export const PROBE_DEFAULTS: Record<ProbeName, Omit<ProbeModel, 'enabled' | 'check'>> = {
  startup: { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 30, successThreshold: 1 },
  liveness: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3, successThreshold: 1 },
  readiness: { initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3, successThreshold: 1 },
};

const CHECK_KINDS = ['http', 'grpc', 'tcp', 'exec'] as const;

/** Resolves `health` into three probes, each with a check on a declared port. */
export function resolveHealth(health: HealthSpec, ports: readonly PortModel[], problems: Problems): HealthModel | undefined {
  const shared = pickCheck(health);
  if (shared.length > 1) problems.add(['health'], `declares ${shared.join(' and ')}: a check has exactly one of http, grpc, tcp, exec`);
  const probes: { -readonly [K in ProbeName]?: ProbeModel } = {};
  for (const name of ['startup', 'liveness', 'readiness'] as const) {
    const spec: ProbeSpec = health[name] ?? {};
    const path: FieldPath = ['health', name];
    const own = pickCheck(spec);
    if (own.length > 1) problems.add(path, `declares ${own.join(' and ')}: a probe has exactly one of http, grpc, tcp, exec`);
    const source: HealthCheckSpec = own.length ? spec : health;
    const enabled = spec.enabled ?? true;
    if (!own.length && !shared.length) {
      // Not declared (or switched off) and nothing to share: this probe is simply absent, so a
      // liveness-only or readiness-only declaration keeps its one probe.
      if (enabled && health[name] !== undefined) problems.add(path, 'has no check: declare one of http, grpc, tcp, exec here or directly under health, or set enabled: false');
      continue;
    }
    const check = resolveCheck(source, own.length ? path : ['health'], ports, problems);
    if (!check) continue;
    const d = PROBE_DEFAULTS[name];
    probes[name] = {
      enabled,
      check,
      initialDelaySeconds: spec.initialDelaySeconds ?? d.initialDelaySeconds,
      periodSeconds: spec.periodSeconds ?? d.periodSeconds,
      timeoutSeconds: spec.timeoutSeconds ?? d.timeoutSeconds,
      failureThreshold: spec.failureThreshold ?? d.failureThreshold,
      successThreshold: 1,
    };
  }
  if (!shared.length && !(['startup', 'liveness', 'readiness'] as const).some((n) => health[n] && pickCheck(health[n]!).length)) {
    problems.add(['health'], 'declares no check: declare one of http, grpc, tcp, exec directly under health (shared by every probe) or under health.startup/liveness/readiness');
  }
  const { liveness, readiness } = probes;
  if (liveness && readiness && liveness.enabled && readiness.enabled && !health.allowIdenticalLivenessAndReadiness
    && JSON.stringify(liveness) === JSON.stringify(readiness)) {
    problems.add(['health', 'liveness'], 'is identical to health.readiness: a failing dependency would restart every pod. Give liveness its own check or timings, or set health.allowIdenticalLivenessAndReadiness: true');
  }
  return probes;
}

function pickCheck(spec: HealthCheckSpec): string[] {
  return CHECK_KINDS.filter((k) => spec[k] !== undefined);
}

function resolveCheck(spec: HealthCheckSpec, path: FieldPath, ports: readonly PortModel[], problems: Problems): CheckModel | undefined {
  if (spec.exec) return { type: 'exec', command: spec.exec.command };
  if (spec.http) {
    const port = resolvePort(spec.http.port, [...path, 'http', 'port'], ports, problems);
    if (port === undefined) return undefined;
    const headers = Object.entries(spec.http.headers ?? {}).map(([name, value]) => ({ name, value }));
    return { type: 'http', path: spec.http.path, port: port.ref, scheme: spec.http.scheme ?? 'HTTP', headers };
  }
  if (spec.grpc) {
    const port = resolvePort(spec.grpc.port, [...path, 'grpc', 'port'], ports, problems);
    if (port === undefined) return undefined;
    // Kubernetes' gRPC probe takes a port number only: a named port is resolved here.
    return { type: 'grpc', port: port.number, service: spec.grpc.service ?? '' };
  }
  if (spec.tcp) {
    const port = resolvePort(spec.tcp.port, [...path, 'tcp', 'port'], ports, problems);
    return port && { type: 'tcp', port: port.ref };
  }
  return undefined;
}

/** Finds a declared port by name or number. Probes by name keep the name (readable, survives renumbering). */
function resolvePort(ref: string | number | undefined, path: FieldPath, ports: readonly PortModel[], problems: Problems) {
  if (ref === undefined) {
    if (!ports.length) {
      problems.add(path, 'is not set and the container declares no ports: add a port under `ports` or give the probe a port');
      return undefined;
    }
    return { ref: ports[0].name, number: ports[0].containerPort };
  }
  const port = ports.find((p) => p.name === ref || p.containerPort === ref);
  if (!port) {
    const declared = ports.map((p) => `${p.name} (${p.containerPort})`).join(', ') || 'none';
    problems.add(path, `targets port ${JSON.stringify(ref)}, which the container does not declare (declared: ${declared}). Add it to \`ports\` or probe a declared port`);
    return undefined;
  }
  return { ref: typeof ref === 'string' ? port.name : port.containerPort, number: port.containerPort };
}
