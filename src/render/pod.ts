import type { ServiceModel } from '../model/types';
import type { Binding } from './recorder';
import { standardLabels, nameExpr, type RenderContext } from './context';
import { renderProbe, recordProbe } from './probes';
import { podVolumes, secretNameOf } from './volumes';
import { imageRef } from './image-ref';
import { configChecksum, configEnvName } from './config';
import { metricsPodAnnotations } from './metrics';
import { externalSecretChecksums } from './external-secret';
import { addSidecarsToPod, sidecarChecksums } from './sidecar';
import { claimMounts } from './statefulset';
import { storageVolumes, storageMounts, bindStorageVolumes } from './storage';

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

/** The pod-level security context: PSS restricted unless an exception allows root. */
export function podSecurityContext(m: ServiceModel): Record<string, unknown> {
  const root = m.pod.exceptions.some((e) => e.allow.includes('runAsRoot'));
  return {
    runAsNonRoot: !root,
    runAsUser: root ? 0 : m.container.runAsUser,
    runAsGroup: root ? 0 : m.container.runAsGroup,
    fsGroup: m.pod.fsGroup,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The container-level security context: no escalation, drop ALL, read-only root. */
export function containerSecurityContext(m: ServiceModel): Record<string, unknown> {
  const root = m.pod.exceptions.some((e) => e.allow.includes('runAsRoot'));
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

/**
 * The pod template of the service's workload, with bindings relative to `path`
 * (the JSON pointer of the template, e.g. `/spec/template`).
 */
export function podTemplate(ctx: RenderContext, bs: Binding[], path: string): Record<string, unknown> {
  const m = ctx.model;
  const rec = ctx.rec;
  const annotations: Record<string, string> = {};
  if (Object.keys(m.config.env).length + Object.keys(m.config.files).length) {
    annotations['checksum/config'] = configChecksum(m);
    rec.expr(bs, `${path}/metadata/annotations/checksum~1config`, `include "${rec.chartName}.configChecksum" .`);
  }
  // Exceptions about the pod (rbacWildcard is about the Role: render/rbac.ts annotates it there).
  const podExceptions = m.pod.exceptions.map((e) => ({ ...e, allow: e.allow.filter((a) => a !== 'rbacWildcard') })).filter((e) => e.allow.length);
  for (const e of podExceptions) annotations[`${EXCEPTION_ANNOTATION}${e.name}`] = `${e.allow.join(',')}: ${e.reason}`;
  if (podExceptions.length) annotations[POD_SECURITY_LEVEL_ANNOTATION] = podSecurityLevel(m);
  Object.assign(annotations, externalSecretChecksums(ctx, bs, path), metricsPodAnnotations(ctx, bs, path), sidecarChecksums(m));
  Object.assign(annotations, rec.merge(bs, `${path}/metadata/annotations`, 'podAnnotations', 'Annotations on the pod template', { ...m.pod.annotations }, ctx.mode));
  const labels = { ...standardLabels(m), ...rec.merge(bs, `${path}/metadata/labels`, 'podLabels', 'Extra labels on the pod template', { ...m.pod.labels }, ctx.mode) };
  rec.include(bs, `${path}/metadata/labels`, 'labels');

  const spec: Record<string, unknown> = {
    serviceAccountName: m.serviceAccount.name,
    automountServiceAccountToken: m.serviceAccount.automountToken,
    securityContext: podSecurityContext(m),
    ...(m.pod.hostNetwork ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : {}),
    terminationGracePeriodSeconds: m.pod.terminationGracePeriodSeconds,
    containers: [mainContainer(ctx, bs, `${path}/spec/containers/0`)],
  };
  rec.expr(bs, `${path}/spec/serviceAccountName`, `include "${rec.chartName}.serviceAccountName" .`);
  rec.scalar(bs, `${path}/spec/automountServiceAccountToken`, 'serviceAccount.automountToken', 'Mount the API token into pods');
  rec.block(bs, `${path}/spec/securityContext`, 'podSecurityContext', 'Pod security context (PSS restricted)');
  rec.scalar(bs, `${path}/spec/terminationGracePeriodSeconds`, 'terminationGracePeriodSeconds', 'Seconds between SIGTERM and SIGKILL');
  const volumes = podVolumes(m);
  const allVolumes = [...volumes.map((v) => v.volume), ...storageVolumes(m)];
  if (allVolumes.length) spec.volumes = allVolumes;
  bindVolumeNames(ctx, bs, `${path}/spec/volumes`, volumes.map((v) => v.volume));
  bindStorageVolumes(ctx, bs, `${path}/spec/volumes`, volumes.length);
  if (m.image.pullSecrets.length) spec.imagePullSecrets = m.image.pullSecrets.map((name) => ({ name }));
  rec.block(bs, `${path}/spec/imagePullSecrets`, 'imagePullSecrets', 'Image pull secrets (list of {name})', []);
  if (Object.keys(m.pod.nodeSelector).length) spec.nodeSelector = m.pod.nodeSelector;
  rec.block(bs, `${path}/spec/nodeSelector`, 'nodeSelector', 'Node selector', {});
  if (m.pod.tolerations.length) spec.tolerations = m.pod.tolerations;
  rec.block(bs, `${path}/spec/tolerations`, 'tolerations', 'Tolerations', []);
  rec.block(bs, `${path}/spec/affinity`, 'affinity', 'Affinity', {});
  if (m.pod.priorityClassName) {
    spec.priorityClassName = m.pod.priorityClassName;
    rec.scalar(bs, `${path}/spec/priorityClassName`, 'priorityClassName', 'Priority class of the pods');
  }
  const spread = m.pod.spread;
  rec.declare('topologySpread.enabled', 'Spread pods over zones and nodes', spread.enabled);
  if (spread.enabled || ctx.mode === 'chart') {
    spec.topologySpreadConstraints = spread.topologyKeys.map((topologyKey, i) => {
      rec.include(bs, `${path}/spec/topologySpreadConstraints/${i}/labelSelector/matchLabels`, 'selectorLabels');
      return { topologyKey, maxSkew: spread.maxSkew, whenUnsatisfiable: spread.whenUnsatisfiable, labelSelector: { matchLabels: { 'app.kubernetes.io/name': m.name, 'app.kubernetes.io/instance': m.instance } } };
    });
    rec.when(bs, `${path}/spec/topologySpreadConstraints`, { key: 'topologySpread.enabled' });
  }
  addSidecarsToPod(ctx, spec, bs, `${path}/spec`);
  return { metadata: { labels, ...(Object.keys(annotations).length ? { annotations } : {}) }, spec };
}

/**
 * Binds the names of the Secrets and ConfigMaps that volumes reference, since they follow the
 * release's full name in the chart (an existing Secret follows `secrets.<name>.existingSecret`).
 */
export function bindVolumeNames(ctx: RenderContext, bs: Binding[], path: string, volumes: readonly Record<string, any>[]): void {
  volumes.forEach((v, i) => {
    if (v.configMap) ctx.rec.expr(bs, `${path}/${i}/configMap/name`, nameExpr(ctx, 'files'));
    const s = v.secret && ctx.model.secrets.find((x) => v.name === `secret-${x.name}`);
    if (!s) return;
    if (s.source.type === 'existing') ctx.rec.scalar(bs, `${path}/${i}/secret/secretName`, `secrets.${s.name}.existingSecret`, `Existing Secret for "${s.name}"`);
    else ctx.rec.expr(bs, `${path}/${i}/secret/secretName`, nameExpr(ctx, s.name));
  });
}
