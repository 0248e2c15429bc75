import type { Binding } from './recorder';
import { standardLabels, nameExpr, type RenderContext } from './context';
import { podVolumes } from './volumes';
import { configChecksum } from './config';
import { metricsPodAnnotations } from './metrics';
import { externalSecretChecksums } from './external-secret';
import { addSidecarsToPod, sidecarChecksums } from './sidecar';
import { storageVolumes, bindStorageVolumes } from './storage';
import { addInitContainers } from './init-containers';

export { EXCEPTION_ANNOTATION, POD_SECURITY_LEVEL_ANNOTATION, podSecurityLevel, podSecurityContext, containerSecurityContext, mainContainer } from './container';
import { EXCEPTION_ANNOTATION, POD_SECURITY_LEVEL_ANNOTATION, podSecurityLevel, podSecurityContext, mainContainer } from './container';

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
  addInitContainers(ctx, spec, bs, `${path}/spec`);
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
