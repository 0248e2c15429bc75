/**
 * The main container of a service and the security contexts of its pod (used by the pod template,
 * the migration Job and native sidecars; kept apart from pod.ts so that sidecar.ts can use it
 * without an import cycle).
 */
import type { ServiceModel } from '../model/types';
import type { Binding } from './recorder';
import { nameExpr, type RenderContext } from './context';
import { renderProbe, recordProbe } from './probes';
import { podVolumes, secretNameOf } from './volumes';
import { imageRef } from './image-ref';
import { configEnvName } from './config';
import { claimMounts } from './statefulset';
import { storageMounts } from './storage';

/** Annotation that explains an opt-out of the restricted profile. */
export const EXCEPTION_ANNOTATION = 'slipway.dev/security-exception.';

/** Annotation naming the Pod Security level a pod with exceptions needs from its namespace. */
export const POD_SECURITY_LEVEL_ANNOTATION = 'slipway.dev/pod-security-level';

/** The least Pod Security Standards level the pod passes: hostPath/hostNetwork/hostPort and AppArmor/seccomp overrides need `privileged`, root `baseline`. */
export function podSecurityLevel(m: ServiceModel): 'restricted' | 'baseline' | 'privileged' {
  const allowed = new Set(m.pod.exceptions.flatMap((e) => e.allow));
  if (['hostPath', 'hostNetwork', 'hostPort', 'appArmorOverride', 'seccompOverride'].some((a) => allowed.has(a as never))) return 'privileged';
  return allowed.has('runAsRoot') ? 'baseline' : 'restricted';
}

/** The sysctl that lets a non-root process bind ports from `value` up (a "safe" sysctl: PSS restricted allows it). */
export const UNPRIVILEGED_PORT_SYSCTL = 'net.ipv4.ip_unprivileged_port_start';

/**
 * The lowest port below 1024 a non-root pod declares, its attached sidecars included (undefined
 * when none, or when the pod runs as root or in the host's network namespace, where a pod cannot
 * set network sysctls). containerd and runc give a non-root process no ambient capabilities, so
 * `capabilities.add: [NET_BIND_SERVICE]` alone does not let it bind such a port (EACCES, seen on a
 * real kubelet); lowering the pod network namespace's privileged range does.
 */
export function lowestPrivilegedPort(m: ServiceModel): number | undefined {
  if (runsAsRoot(m) || m.pod.hostNetwork) return undefined;
  // The sysctl is pod-wide: the attached sidecars' containers share it (a root one needs none).
  const containers = [m, ...(m.sidecars ?? []).filter((s) => !runsAsRoot(s))];
  const low = containers.flatMap((c) => c.container.ports.map((p) => p.containerPort)).filter((p) => p < 1024);
  return low.length ? Math.min(...low) : undefined;
}

/** The service's named exceptions let it run as root. */
function runsAsRoot(m: ServiceModel): boolean {
  return m.pod.exceptions.some((e) => e.allow.includes('runAsRoot'));
}

/** The pod-level security context: PSS restricted unless an exception allows root. */
export function podSecurityContext(m: ServiceModel): Record<string, unknown> {
  const root = runsAsRoot(m);
  const low = lowestPrivilegedPort(m);
  return {
    runAsNonRoot: !root,
    runAsUser: root ? 0 : m.container.runAsUser,
    runAsGroup: root ? 0 : m.container.runAsGroup,
    fsGroup: m.pod.fsGroup,
    seccompProfile: { type: 'RuntimeDefault' },
    ...(low !== undefined ? { sysctls: [{ name: UNPRIVILEGED_PORT_SYSCTL, value: String(low) }] } : {}),
  };
}

/** Keys of the pod security context that only a pod serving a port needs (the port sysctl). */
export const PORT_POD_SECURITY_KEYS = ['sysctls'] as const;

/**
 * The pod security context of a pod that binds no port (the migration Job): the app's without
 * the port sysctl, which it does not need (and which kube-linter's dated `unsafe-sysctls` flags).
 */
export function portlessPodSecurityContext(m: ServiceModel): Record<string, unknown> {
  const sc = { ...podSecurityContext(m) };
  for (const k of PORT_POD_SECURITY_KEYS) delete sc[k];
  return sc;
}

/** The container-level security context: no escalation, drop ALL, read-only root. */
export function containerSecurityContext(m: ServiceModel): Record<string, unknown> {
  const root = runsAsRoot(m);
  return {
    allowPrivilegeEscalation: false,
    capabilities: { ...(m.container.capabilitiesAdd?.length ? { add: [...m.container.capabilitiesAdd] } : {}), drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: m.container.readOnlyRootFilesystem,
    runAsNonRoot: !root,
    runAsUser: root ? 0 : m.container.runAsUser,
    runAsGroup: root ? 0 : m.container.runAsGroup,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The main container, with bindings relative to `path` (the container's JSON pointer). */
export function mainContainer(ctx: RenderContext, bs: Binding[], path: string): Record<string, unknown> {
  const m = ctx.model;
  const c = m.container;
  const rec = ctx.rec;
  rec.declare('image.registry', 'Image registry', m.image.registry);
  rec.declare('image.repository', 'Image repository', m.image.repository);
  rec.declare('image.tag', 'Image tag (defaults to the app version)', m.image.tag);
  rec.declare('image.digest', 'Image digest; pins the image when set', m.image.digest);
  rec.expr(bs, `${path}/image`, `include "${rec.chartName}.image" .`);
  rec.scalar(bs, `${path}/imagePullPolicy`, 'image.pullPolicy', 'Image pull policy');

  const env: Record<string, unknown>[] = [];
  const envFrom: Record<string, unknown>[] = [];
  if (Object.keys(m.config.env).length) {
    rec.expr(bs, `${path}/envFrom/0/configMapRef/name`, nameExpr(ctx, 'env'));
    envFrom.push({ configMapRef: { name: configEnvName(m) } });
  }
  m.secrets.forEach((s) => {
    const name = secretNameOf(m, s);
    const bindName = (p: string) => {
      if (s.source.type === 'existing') rec.scalar(bs, p, `secrets.${s.name}.existingSecret`, `Existing Secret for "${s.name}"`);
      else rec.expr(bs, p, nameExpr(ctx, s.name));
    };
    for (const [envName, key] of Object.entries(s.env)) {
      bindName(`${path}/env/${env.length}/valueFrom/secretKeyRef/name`);
      env.push({ name: envName, valueFrom: { secretKeyRef: { name, key } } });
    }
    if (s.envFromAll) {
      bindName(`${path}/envFrom/${envFrom.length}/secretRef/name`);
      envFrom.push({ secretRef: { name } });
    }
  });
  const extraEnv = rec.merge(bs, `${path}/env`, 'extraEnvVars', 'Extra env vars for the main container (list of EnvVar)', [] as unknown[], ctx.mode);
  const volumes = podVolumes(m);
  const mounts = [...volumes.map((v) => v.mount), ...claimMounts(m), ...storageMounts(m)];
  const container: Record<string, unknown> = {
    name: c.name,
    image: imageRef(m.image),
    imagePullPolicy: m.image.pullPolicy,
    ...(c.command.length ? { command: [...c.command] } : {}),
    ...(c.args.length ? { args: [...c.args] } : {}),
    ...(c.workingDir ? { workingDir: c.workingDir } : {}),
    ...(c.ports.length ? { ports: c.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol, ...(p.hostPort ? { hostPort: p.hostPort } : {}) })) } : {}),
    ...(env.length + extraEnv.length ? { env: [...env, ...extraEnv] } : {}),
    ...(envFrom.length ? { envFrom } : {}),
    securityContext: containerSecurityContext(m),
    ...(mounts.length ? { volumeMounts: mounts } : {}),
  };
  rec.block(bs, `${path}/securityContext`, 'containerSecurityContext', 'Security context of the main container (PSS restricted)');
  if (c.resources) {
    container.resources = c.resources;
    rec.block(bs, `${path}/resources`, 'resources', 'Requests and limits of the main container');
  } else if (ctx.mode === 'chart') {
    rec.block(bs, `${path}/resources`, 'resources', 'Requests and limits of the main container', {});
  }
  if (c.health) {
    for (const name of ['startup', 'liveness', 'readiness'] as const) {
      const probe = c.health[name];
      if (!probe || (!probe.enabled && ctx.mode === 'manifests')) continue;
      container[`${name}Probe`] = renderProbe(probe);
      recordProbe(ctx, bs, name, `${path}/${name}Probe`, probe);
    }
  }
  if (c.preStopSleepSeconds) container.lifecycle = { preStop: { exec: { command: ['sleep', String(c.preStopSleepSeconds)] } } };
  return container;
}
