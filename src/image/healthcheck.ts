/**
 * The compose healthcheck from the spec's health declaration, when the image can run the check
 * itself: python and node images have an interpreter that can make the HTTP request or TCP
 * connection; distroless/scratch images have neither, so only `exec` checks carry over there.
 */
import type { CheckModel, ProbeModel } from '../model/types';
import type { ServiceModel } from '../model/types';
import type { ImageBuild } from './model';

/** A compose healthcheck (`test` is exec form, no shell), or why there is none. */
export type ComposeHealth =
  | { readonly kind: 'check'; readonly probe: string; readonly test: string[]; readonly interval: string; readonly timeout: string; readonly retries: number; readonly startPeriod?: string; readonly startInterval?: string }
  | { readonly kind: 'none'; readonly reason: string };

/**
 * Picks the probe whose check is used (build.composeHealthcheck, default startup; else the first
 * enabled one) and turns it into a healthcheck.
 */
export function composeHealth(b: ImageBuild, model: ServiceModel): ComposeHealth {
  const health = model.container.health;
  if (!health) return { kind: 'none', reason: 'the spec declares no health checks' };
  const wanted = b.spec.composeHealthcheck ?? 'startup';
  const order = [wanted, 'liveness', 'readiness', 'startup'] as const;
  const name = order.find((n) => health[n]?.enabled);
  if (!name) return { kind: 'none', reason: 'every probe of the spec is disabled' };
  // The check of the chosen probe; the ongoing timings of liveness (what a healthcheck is once
  // started); the startup probe's budget as the grace period.
  const chosen = health[name]!;
  const timing: ProbeModel = health.liveness?.enabled ? health.liveness : chosen;
  const test = checkCommand(b, chosen.check, model, timing.timeoutSeconds);
  if (typeof test === 'string') return { kind: 'none', reason: test };
  const startup = health.startup?.enabled ? health.startup : undefined;
  const budget = startup ? startup.initialDelaySeconds + startup.periodSeconds * startup.failureThreshold : timing.initialDelaySeconds;
  return {
    kind: 'check',
    probe: name,
    test: ['CMD', ...test],
    interval: `${timing.periodSeconds}s`,
    timeout: `${timing.timeoutSeconds}s`,
    retries: timing.failureThreshold,
    startPeriod: budget ? `${budget}s` : undefined,
    startInterval: startup ? `${startup.periodSeconds}s` : undefined,
  };
}

/** The command that runs the check inside the image, or the reason it cannot. */
function checkCommand(b: ImageBuild, check: CheckModel, model: ServiceModel, timeout: number): string[] | string {
  if (check.type === 'exec') return [...check.command];
  const interpreter = b.preset === 'python' ? 'python' : b.preset === 'node' ? 'node' : undefined;
  if (!interpreter) {
    return `the ${b.preset} image has no shell, HTTP client or interpreter (distroless/scratch) to run a ${check.type} check; Kubernetes probes do the checking`;
  }
  if (check.type === 'grpc') return `a gRPC check needs a gRPC health client (e.g. grpc_health_probe) in the image`;
  const port = portNumber(check.port, model);
  if (check.type === 'tcp') {
    return interpreter === 'python'
      ? ['python', '-c', `import socket; socket.create_connection(("127.0.0.1", ${port}), timeout=${timeout}).close()`]
      : ['node', '-e', `require("net").connect(${port}, "127.0.0.1", () => process.exit(0)).on("error", () => process.exit(1)).setTimeout(${timeout * 1000}, () => process.exit(1))`];
  }
  const url = `${check.scheme.toLowerCase()}://127.0.0.1:${port}${check.path}`;
  const headers: Record<string, string> = Object.fromEntries(check.headers.map((h) => [h.name, h.value]));
  if (interpreter === 'python') {
    const ctx = check.scheme === 'HTTPS' ? ', context=__import__("ssl")._create_unverified_context()' : '';
    const request = check.headers.length ? `urllib.request.Request(${JSON.stringify(url)}, headers=${JSON.stringify(headers)})` : JSON.stringify(url);
    return ['python', '-c', `import urllib.request; urllib.request.urlopen(${request}, timeout=${timeout}${ctx})`];
  }
  const mod = check.scheme === 'HTTPS' ? 'https' : 'http';
  const opts = `{ host: "127.0.0.1", port: ${port}, path: ${JSON.stringify(check.path)}, ${check.headers.length ? `headers: ${JSON.stringify(headers)}, ` : ''}timeout: ${timeout * 1000}${mod === 'https' ? ', rejectUnauthorized: false' : ''} }`;
  return ['node', '-e', `require("${mod}").get(${opts}, (r) => process.exit(r.statusCode >= 200 && r.statusCode < 400 ? 0 : 1)).on("error", () => process.exit(1)).on("timeout", () => process.exit(1))`];
}

/** A probe port (name or number) as the container port number. */
function portNumber(port: string | number, model: ServiceModel): number {
  if (typeof port === 'number') return port;
  const found = model.container.ports.find((p) => p.name === port);
  if (!found) throw new Error(`health check port "${port}" is not a declared container port`);
  return found.containerPort;
}
