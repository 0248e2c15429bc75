import type { ServiceSpec, SecretSpec } from '../spec/types';
import type { ServiceModel, PortModel, SecretModel, ContainerModel, WorkloadKind } from './types';
import { Problems } from './problems';
import { checkChartText } from './chart-meta-rules';
import { resolveHealth } from './health';
import { resolveNetworkPolicy } from './network';
import { checkPdb } from './disruption';
import { resolveResources, RESOURCE_DEFAULTS } from './resources';
import { fullnameOf, SELECTOR_LABEL_KEYS } from './naming';
import { checkPodAnnotations } from './pod-annotations';
import { checkLabelMaps } from './label-maps';
import { buildProblems } from '../image/problems';
import { checkVariants } from './variants';
import { checkKubernetesFields } from './k8s-fields';
import { readConfigFile } from './config-files';
import { resolveJobWorkload, runsToCompletion } from './jobs';
import { resolveRbac } from './rbac';
import { resolveCapabilities } from './capabilities';
import { resolveStatefulSet } from './stateful';
import { resolveStorage, checkStorageNames } from './storage';
import { resolveInitContainers } from './init-containers';
import { podExceptionsOf, objectExceptionsOf, checkExceptionScopes } from './exceptions';
import { resolveExtraObjects, checkObjectExceptions, objectRef } from './extra-objects';
import { imageRef } from '../render/image-ref';
import { checkPatches } from '../render/patch-check';

/** Defaults that are not probe timings; documented on the spec fields. */
export const DEFAULTS = {
  replicas: 2,
  runAsId: 10001,
  requests: RESOURCE_DEFAULTS.requests,
  limits: RESOURCE_DEFAULTS.limits,
  writablePaths: ['/tmp'],
  terminationGracePeriodSeconds: 30,
  spreadKeys: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'],
  autoscaling: { minReplicas: 2, targetCPUUtilizationPercentage: 80 },
};

/** Where `config.filesFrom` paths are resolved from (the spec file's directory) and confined to. */
export interface ResolveContext {
  /** The spec file's directory. @default the working directory */
  readonly baseDir?: string;
  /** The directory every file a spec names must be inside. @default `baseDir` */
  readonly inputRoot?: string;
}

/**
 * Resolves a schema-valid spec into the model, applying every default once and collecting
 * semantic problems (ports, probes, scaling, secrets). Returns the model, or the problems.
 */
export function resolveService(spec: ServiceSpec, ctx: ResolveContext = {}): { model?: ServiceModel; problems: Problems } {
  const problems = new Problems();
  checkChartText(spec, problems);
  const kind: WorkloadKind = spec.workload?.kind ?? 'Deployment';
  const instance = spec.instance ?? spec.name;
  const fullname = fullnameOf(instance, spec.name);
  const ports = resolvePorts(spec, problems);
  const security = spec.security ?? {};
  const runAsUser = security.runAsUser ?? DEFAULTS.runAsId;
  const runAsGroup = security.runAsGroup ?? DEFAULTS.runAsId;
  const health = spec.health ? resolveHealth(spec.health, ports, problems) : undefined;

  if (spec.replicas !== undefined && spec.autoscaling && spec.autoscaling.enabled !== false) {
    problems.add(['replicas'], 'is fixed while autoscaling is enabled: the HPA owns the replica count. Remove `replicas` or set autoscaling.enabled: false');
  }
  const statefulSet = resolveStatefulSet(spec, kind, fullname, problems);
  const storage = resolveStorage(spec, fullname, problems);
  if (kind !== 'Deployment' && kind !== 'StatefulSet' && !runsToCompletion(kind) && (spec.replicas !== undefined || spec.autoscaling)) {
    problems.add([spec.replicas !== undefined ? 'replicas' : 'autoscaling'], `does not apply to a ${kind}: remove it`);
  }
  const as = spec.autoscaling;
  if (as && as.minReplicas !== undefined && as.minReplicas > as.maxReplicas) {
    problems.add(['autoscaling', 'minReplicas'], `(${as.minReplicas}) is greater than maxReplicas (${as.maxReplicas})`);
  }
  if (spec.pdb?.minAvailable !== undefined && spec.pdb?.maxUnavailable !== undefined) {
    problems.add(['pdb'], 'sets both minAvailable and maxUnavailable: policy/v1 allows only one');
  }
  checkPdb(spec, kind, as && as.enabled !== false ? as.minReplicas ?? DEFAULTS.autoscaling.minReplicas : spec.replicas ?? DEFAULTS.replicas, problems);
  for (const key of SELECTOR_LABEL_KEYS) {
    if (spec.podLabels && key in spec.podLabels) {
      problems.add(['podLabels', key], 'is a selector label Slipway sets from `name` and `instance`; a different value would leave the pods outside their own selector. Remove it (set `name` or `instance` instead)');
    }
  }
  checkPodAnnotations(spec, problems);
  checkLabelMaps(spec, problems);
  const exposed = ports.filter((p) => p.expose);
  if (spec.service?.enabled && !exposed.length) problems.add(['service', 'enabled'], 'is true but no port is exposed: declare a port under `ports`');
  checkRoutePorts(spec, exposed, problems);
  const metrics = spec.metrics && resolveMetrics(spec, ports, problems);
  checkVariants(spec, kind, ports, problems);
  const jobWorkload = resolveJobWorkload(spec, kind, problems);
  const rbac = resolveRbac(spec, kind, problems);

  const container: ContainerModel = {
    name: spec.name,
    command: spec.command ?? [],
    args: spec.args ?? [],
    workingDir: spec.workingDir,
    ports,
    health,
    resources: resolveResources(spec.resources, problems),
    preStopSleepSeconds: spec.shutdown?.preStopSleepSeconds,
    runAsUser,
    runAsGroup,
    readOnlyRootFilesystem: security.readOnlyRootFilesystem ?? true,
    writablePaths: security.writablePaths ?? DEFAULTS.writablePaths,
    capabilitiesAdd: resolveCapabilities(spec, problems),
  };
  const secrets = (spec.secrets ?? []).map((s, i) => resolveSecret(s, i, problems));
  const dupSecret = secrets.find((s, i) => secrets.findIndex((o) => o.name === s.name) !== i);
  if (dupSecret) problems.add(['secrets'], `declares "${dupSecret.name}" twice: secret names must be unique`);

  const image: ServiceModel['image'] = {
    registry: spec.image.registry ?? '',
    repository: spec.image.repository,
    tag: spec.image.tag ?? spec.version,
    digest: spec.image.digest ?? '',
    pullPolicy: spec.image.pullPolicy ?? 'IfNotPresent',
    pullSecrets: spec.imagePullSecrets ?? [],
  };
  checkExceptionScopes(spec, problems);
  const usedByObjects = new Map<string, Set<string>>();
  const extraObjects = resolveExtraObjects(spec, problems, usedByObjects);

  const model: ServiceModel = {
    name: spec.name,
    instance,
    fullname,
    version: spec.version,
    description: spec.description ?? `${spec.name} service`,
    component: spec.component ?? (kind === 'DaemonSet' ? 'agent' : kind === 'Sidecar' ? 'sidecar' : runsToCompletion(kind) ? 'job' : 'server'),
    partOf: spec.partOf,
    commonLabels: spec.labels ?? {},
    image,
    workload: {
      kind,
      maxUnavailable: spec.workload?.updateStrategy?.maxUnavailable ?? (kind === 'DaemonSet' ? 1 : 0),
      maxSurge: spec.workload?.updateStrategy?.maxSurge ?? (kind === 'DaemonSet' ? 0 : '25%'),
      sidecar: kind === 'Sidecar' ? {
        host: spec.workload?.sidecar?.host,
        mode: spec.workload?.sidecar?.mode ?? 'native',
        sharedVolumes: spec.workload?.sidecar?.sharedVolumes ?? {},
      } : undefined,
      ...jobWorkload,
      ...(statefulSet ? { statefulSet } : {}),
    },
    container,
    pod: {
      fsGroup: security.fsGroup ?? runAsGroup,
      terminationGracePeriodSeconds: spec.shutdown?.terminationGracePeriodSeconds ?? DEFAULTS.terminationGracePeriodSeconds,
      annotations: spec.podAnnotations ?? {},
      labels: spec.podLabels ?? {},
      nodeSelector: spec.nodeSelector ?? {},
      tolerations: spec.tolerations ?? [],
      priorityClassName: spec.priorityClassName,
      spread: {
        enabled: spec.spread?.enabled ?? (kind === 'Deployment' || kind === 'StatefulSet'),
        topologyKeys: spec.spread?.topologyKeys ?? DEFAULTS.spreadKeys,
        maxSkew: spec.spread?.maxSkew ?? 1,
        whenUnsatisfiable: spec.spread?.whenUnsatisfiable ?? 'ScheduleAnyway',
      },
      exceptions: podExceptionsOf(spec),
      hostNetwork: spec.hostNetwork ?? false,
      hostPaths: (spec.hostPaths ?? []).map((h) => ({ path: h.path, mountPath: h.mountPath ?? h.path, readOnly: h.readOnly ?? true, type: h.type ?? 'Directory' })),
    },
    config: {
      env: spec.config?.env ?? {},
      files: { ...(spec.config?.files ?? {}), ...readConfigFiles(spec, ctx, problems) },
      mountPath: spec.config?.mountPath ?? `/etc/${spec.name}`,
    },
    secrets,
    service: {
      enabled: spec.service?.enabled ?? exposed.length > 0,
      type: spec.service?.type ?? 'ClusterIP',
      annotations: spec.service?.annotations ?? {},
    },
    ingress: {
      enabled: spec.ingress ? spec.ingress.enabled ?? true : false,
      spec: spec.ingress ?? { hosts: [{ host: `${spec.name}.local`, paths: [{ path: '/', pathType: 'Prefix' }] }] },
    },
    httpRoute: {
      enabled: spec.httpRoute ? spec.httpRoute.enabled ?? true : false,
      spec: spec.httpRoute ?? { parentRefs: [{ name: 'gateway' }] },
    },
    networkPolicy: resolveNetworkPolicy(spec, ports, problems),
    scaling: {
      replicas: spec.replicas ?? DEFAULTS.replicas,
      autoscaling: {
        enabled: as ? as.enabled ?? true : false,
        minReplicas: as?.minReplicas ?? DEFAULTS.autoscaling.minReplicas,
        maxReplicas: as?.maxReplicas ?? Math.max(DEFAULTS.autoscaling.minReplicas, (spec.replicas ?? DEFAULTS.replicas) * 2),
        targetCPUUtilizationPercentage: as ? as.targetCPUUtilizationPercentage ?? (as.targetMemoryUtilizationPercentage ? undefined : DEFAULTS.autoscaling.targetCPUUtilizationPercentage) : DEFAULTS.autoscaling.targetCPUUtilizationPercentage,
        targetMemoryUtilizationPercentage: as?.targetMemoryUtilizationPercentage,
      },
      pdb: {
        enabled: spec.pdb?.enabled ?? (kind === 'Deployment' || kind === 'StatefulSet'),
        minAvailable: spec.pdb?.minAvailable,
        maxUnavailable: spec.pdb?.minAvailable !== undefined ? undefined : spec.pdb?.maxUnavailable ?? 1,
        unhealthyPodEvictionPolicy: spec.pdb?.unhealthyPodEvictionPolicy ?? 'AlwaysAllow',
      },
    },
    serviceAccount: {
      create: spec.serviceAccount?.create ?? true,
      name: spec.serviceAccount?.name ?? (spec.serviceAccount?.create === false ? 'default' : fullname),
      annotations: spec.serviceAccount?.annotations ?? {},
      automountToken: spec.serviceAccount?.automountToken ?? rbac !== undefined,
    },
    rbac,
    metrics,
    migration: spec.migration && {
      command: spec.migration.command,
      args: spec.migration.args ?? [],
      activeDeadlineSeconds: spec.migration.activeDeadlineSeconds ?? 600,
      backoffLimit: spec.migration.backoffLimit ?? 2,
      ttlSecondsAfterFinished: spec.migration.ttlSecondsAfterFinished ?? 3600,
    },
    build: spec.build,
    syncWaves: spec.gitops?.syncWaves ?? true,
    ...(storage ? { storage } : {}),
    chart: spec.chart,
    initContainers: resolveInitContainers(spec, kind, imageRef(image), problems),
    extraObjects,
    patches: (spec.patches ?? []).map((p, index) => ({ index, kind: p.kind, ...(p.name !== undefined ? { name: p.name } : {}), ops: p.ops.map((o) => ({ op: o.op, path: o.path, ...(o.value !== undefined ? { value: o.value } : {}) })) })),
    objectExceptions: objectExceptionsOf(spec),
  };
  checkStorageNames(spec, model, problems);
  // The image definition's own checks (preset options, stage names, digests), located like the rest.
  for (const p of buildProblems(model)) problems.add(p.path, p.message);
  // Kubernetes' own rules on every name, label, key, host and size the objects will carry.
  checkKubernetesFields(spec, model, problems);
  // Patches are checked on the rendered objects, once everything else is valid (model/patch-check.ts).
  const patchesCheckable = !problems.all.length && model.patches.length > 0;
  const patched = patchesCheckable ? checkPatches(spec, model, problems, usedByObjects) : new Set<string>();
  // Which objects exceptions may name is known once the patches are checked (or when there are none).
  if (model.objectExceptions.length && (patchesCheckable || !model.patches.length)) {
    checkObjectExceptions(spec, new Set([...extraObjects.map((o) => objectRef(o)), ...patched]), usedByObjects, problems);
  }
  return { model: problems.all.length ? undefined : model, problems };
}

function resolvePorts(spec: ServiceSpec, problems: Problems): PortModel[] {
  const ports = (spec.ports ?? []).map((p) => ({
    name: p.name,
    containerPort: p.containerPort,
    protocol: p.protocol ?? 'TCP',
    servicePort: p.servicePort ?? p.containerPort,
    expose: p.expose ?? true,
    appProtocol: p.appProtocol,
    hostPort: p.hostPort,
  }));
  ports.forEach((p, i) => {
    if (ports.findIndex((o) => o.name === p.name) !== i) problems.add(['ports', i, 'name'], `"${p.name}" is declared twice: port names must be unique`);
    else if (ports.findIndex((o) => o.containerPort === p.containerPort && o.protocol === p.protocol) !== i) problems.add(['ports', i, 'containerPort'], `${p.containerPort}/${p.protocol} is declared twice`);
  });
  return ports;
}

function resolveSecret(s: SecretSpec, i: number, problems: Problems): SecretModel {
  const sources = (['existingSecret', 'external', 'inline'] as const).filter((k) => s[k] !== undefined);
  if (sources.length !== 1) {
    problems.add(['secrets', i], `needs exactly one of existingSecret, external, inline (found ${sources.length ? sources.join(', ') : 'none'})`);
  }
  if (s.inline && s.inline.allowPlaintextInOutput !== true) {
    problems.add(['secrets', i, 'inline', 'allowPlaintextInOutput'], 'must be true to write secret values in plain text into the output. Prefer existingSecret or external')
  }
  if (!s.env && !s.envFromAll && !s.mountPath) {
    problems.add(['secrets', i], 'is not consumed: set env, envFromAll or mountPath');
  }
  const source: SecretModel['source'] = s.external
    ? { type: 'external', spec: { store: s.external.store, storeKind: s.external.storeKind ?? 'ClusterSecretStore', refreshInterval: s.external.refreshInterval ?? '1h', data: s.external.data } }
    : s.inline ? { type: 'inline', values: s.inline.values } : { type: 'existing', secretName: s.existingSecret ?? '' };
  return { name: s.name, source, env: s.env ?? {}, envFromAll: s.envFromAll ?? false, mountPath: s.mountPath };
}

function checkRoutePorts(spec: ServiceSpec, exposed: readonly PortModel[], problems: Problems): void {
  const names = exposed.map((p) => p.name);
  spec.ingress?.hosts.forEach((h, hi) => h.paths?.forEach((p, pi) => {
    if (p.port !== undefined && !names.includes(p.port)) problems.add(['ingress', 'hosts', hi, 'paths', pi, 'port'], `"${p.port}" is not an exposed port (exposed: ${names.join(', ') || 'none'})`);
  }));
  if ((spec.ingress || spec.httpRoute) && !exposed.length) problems.add([spec.ingress ? 'ingress' : 'httpRoute'], 'routes to the Service but no port is exposed: declare a port under `ports`');
  if (spec.httpRoute?.port !== undefined && !names.includes(spec.httpRoute.port)) problems.add(['httpRoute', 'port'], `"${spec.httpRoute.port}" is not an exposed port (exposed: ${names.join(', ') || 'none'})`);
}

function resolveMetrics(spec: ServiceSpec, ports: readonly PortModel[], problems: Problems) {
  const m = spec.metrics!;
  if (!ports.some((p) => p.name === m.port)) problems.add(['metrics', 'port'], `"${m.port}" is not a declared port (declared: ${ports.map((p) => p.name).join(', ') || 'none'})`);
  return { port: m.port, path: m.path ?? '/metrics', mode: m.mode ?? 'serviceMonitor', interval: m.interval ?? '30s', serviceMonitorLabels: m.serviceMonitorLabels ?? {} } as const;
}

function readConfigFiles(spec: ServiceSpec, ctx: ResolveContext, problems: Problems): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, file] of Object.entries(spec.config?.filesFrom ?? {})) {
    const read = readConfigFile(file, ctx);
    if ('text' in read) out[name] = read.text;
    else problems.add(['config', 'filesFrom', name], read.message);
  }
  return out;
}
