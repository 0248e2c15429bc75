/**
 * Semantic checks of the workload variants (node agent, sidecar, migration, metrics, external
 * secrets) that the JSON Schema cannot express. Each problem names the field to change.
 */
import type { ServiceSpec, SecurityAllowance } from '../spec/types';
import type { PortModel, WorkloadKind } from './types';
import type { Problems } from './problems';
import { rbacHasWildcard } from './rbac';

type Allowance = SecurityAllowance;

const OPT_OUT_HINT = (what: Allowance) =>
  `add a named opt-out under security.exceptions with allow: [${what}] and a reason (the pod then needs a namespace at Pod Security "privileged")`;

/** Runs every variant check on a spec whose ports are resolved. */
export function checkVariants(spec: ServiceSpec, kind: WorkloadKind, ports: readonly PortModel[], problems: Problems): void {
  checkHostAccess(spec, kind, problems);
  checkUpdateStrategy(spec, kind, problems);
  checkSidecar(spec, kind, problems);
  checkMetrics(spec, kind, ports, problems);
  checkExternalSecrets(spec, problems);
  if (spec.migration && kind === 'Sidecar') problems.add(['migration'], 'does not apply to a Sidecar: declare the migration on the host service');
}

/** hostPath, hostNetwork and hostPort only with a named opt-out; every opt-out is used. */
function checkHostAccess(spec: ServiceSpec, kind: WorkloadKind, problems: Problems): void {
  const exceptions = spec.security?.exceptions ?? [];
  if (kind === 'Sidecar') {
    for (const field of ['hostPaths', 'hostNetwork'] as const) {
      if (spec[field] !== undefined) problems.add([field], 'is a pod setting and does not apply to a Sidecar: declare it on the host service');
    }
    if (exceptions.length) problems.add(['security', 'exceptions'], 'are pod settings and do not apply to a Sidecar: declare them on the host service');
    (spec.ports ?? []).forEach((p, i) => {
      if (p.hostPort !== undefined) problems.add(['ports', i, 'hostPort'], 'needs a security exception on the pod, which a Sidecar cannot declare: use a DaemonSet');
    });
    return;
  }
  const allowed = (what: Allowance) => exceptions.some((e) => !e.objects?.length && e.allow.includes(what));
  // runAsRoot changes the security contexts; the annotation overrides open the chart's values too.
  const used = new Set<Allowance>(['runAsRoot', 'appArmorOverride', 'seccompOverride']);
  if (rbacHasWildcard(spec)) used.add('rbacWildcard');
  (spec.hostPaths ?? []).forEach((h, i) => {
    used.add('hostPath');
    if (!allowed('hostPath')) problems.add(['hostPaths', i], `mounts ${h.path} from the node, which Pod Security "restricted" forbids: ${OPT_OUT_HINT('hostPath')}`);
  });
  const mounts = (spec.hostPaths ?? []).map((h) => h.mountPath ?? h.path);
  mounts.forEach((m, i) => {
    if (mounts.indexOf(m) !== i) problems.add(['hostPaths', i, 'mountPath'], `${m} is mounted twice`);
  });
  if (spec.hostNetwork) {
    used.add('hostNetwork');
    if (!allowed('hostNetwork')) problems.add(['hostNetwork'], `uses the node's network, which Pod Security "restricted" forbids: ${OPT_OUT_HINT('hostNetwork')}`);
  }
  (spec.ports ?? []).forEach((p, i) => {
    if (p.hostPort === undefined) return;
    used.add('hostPort');
    if (!allowed('hostPort')) problems.add(['ports', i, 'hostPort'], `opens port ${p.hostPort} on the node, which Pod Security "restricted" forbids: ${OPT_OUT_HINT('hostPort')}`);
    if (spec.hostNetwork && p.hostPort !== p.containerPort) problems.add(['ports', i, 'hostPort'], `must equal containerPort (${p.containerPort}) with hostNetwork`);
  });
  // An exception naming objects is checked with those objects (model/object-policy.ts).
  exceptions.forEach((e, i) => e.objects?.length || e.allow.forEach((a, j) => {
    if (!used.has(a) && !['clusterScoped', 'clusterAdmin', 'privileged'].includes(a)) problems.add(['security', 'exceptions', i, 'allow', j], `allows ${a}, which the service does not use: remove it so the opt-out stays accurate`);
  }));
  const names = exceptions.map((e) => e.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) problems.add(['security', 'exceptions', i, 'name'], `"${n}" is declared twice: exception names must be unique`);
  });
}

/** Rolling updates need room: maxSurge and maxUnavailable cannot both be 0; a hostPort cannot surge. */
function checkUpdateStrategy(spec: ServiceSpec, kind: WorkloadKind, problems: Problems): void {
  const u = spec.workload?.updateStrategy;
  if (kind === 'Sidecar') {
    if (u) problems.add(['workload', 'updateStrategy'], 'does not apply to a Sidecar: it rolls out with its host');
    return;
  }
  if (kind === 'StatefulSet') return; // model/stateful.ts
  const zero = (v: number | string | undefined) => v === 0 || v === '0%';
  const surge = u?.maxSurge ?? (kind === 'DaemonSet' ? 0 : '25%');
  const unavailable = u?.maxUnavailable ?? (kind === 'DaemonSet' ? 1 : 0);
  if (zero(surge) && zero(unavailable)) problems.add(['workload', 'updateStrategy'], 'sets maxSurge and maxUnavailable to 0: a rollout could never progress. Allow one of them');
  const hostPort = (spec.ports ?? []).some((p) => p.hostPort !== undefined) || spec.hostNetwork;
  if (kind === 'DaemonSet' && hostPort && !zero(surge)) {
    problems.add(['workload', 'updateStrategy', 'maxSurge'], 'must be 0 for a DaemonSet using hostPort or hostNetwork: the surge pod could not bind the same node port');
  }
}

function checkSidecar(spec: ServiceSpec, kind: WorkloadKind, problems: Problems): void {
  if (kind !== 'Sidecar') {
    if (spec.workload?.sidecar) problems.add(['workload', 'sidecar'], `applies only to workload.kind: Sidecar (this is a ${kind})`);
    return;
  }
  const notHere = ['ingress', 'httpRoute', 'service', 'networkPolicy', 'pdb', 'spread', 'podAnnotations', 'podLabels', 'nodeSelector', 'tolerations', 'priorityClassName', 'serviceAccount', 'imagePullSecrets'] as const;
  for (const field of notHere) {
    if (spec[field] !== undefined) problems.add([field], 'does not apply to a Sidecar: it runs in its host\'s pods. Declare it on the host service');
  }
  if ((spec.ports ?? []).some((p) => p.expose === true)) {
    const i = (spec.ports ?? []).findIndex((p) => p.expose === true);
    problems.add(['ports', i, 'expose'], 'does not apply to a Sidecar: the host\'s Service exposes the pod');
  }
}

function checkMetrics(spec: ServiceSpec, kind: WorkloadKind, ports: readonly PortModel[], problems: Problems): void {
  const m = spec.metrics;
  if (!m) return;
  if (kind === 'Sidecar') {
    problems.add(['metrics'], 'does not apply to a Sidecar: declare metrics on the host service (it may scrape the sidecar\'s port)');
    return;
  }
  const port = ports.find((p) => p.name === m.port);
  if ((m.mode ?? 'serviceMonitor') === 'serviceMonitor') {
    if (port && !port.expose) problems.add(['metrics', 'port'], `"${m.port}" is not exposed on the Service, which a ServiceMonitor scrapes through: set expose: true on the port or use mode: annotations`);
    if (spec.service?.enabled === false) problems.add(['metrics', 'mode'], 'is serviceMonitor but the Service is disabled: enable the Service or use mode: annotations');
  } else if (m.serviceMonitorLabels) {
    problems.add(['metrics', 'serviceMonitorLabels'], 'applies only to mode: serviceMonitor');
  }
}

function checkExternalSecrets(spec: ServiceSpec, problems: Problems): void {
  (spec.secrets ?? []).forEach((s, i) => {
    const keys = (s.external?.data ?? []).map((d) => d.secretKey);
    keys.forEach((k, j) => {
      if (keys.indexOf(k) !== j) problems.add(['secrets', i, 'external', 'data', j, 'secretKey'], `"${k}" is declared twice: each key of the Secret comes from one remote value`);
    });
    for (const [env, key] of Object.entries(s.env ?? {})) {
      if (s.external && !keys.includes(key)) problems.add(['secrets', i, 'env', env], `reads key "${key}", which the ExternalSecret does not produce (keys: ${keys.join(', ') || 'none'})`);
    }
  });
}
