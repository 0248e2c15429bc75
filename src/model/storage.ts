/**
 * Extra volumes (`volumes`) and their mounts (`mounts`): resolved into the pod volumes Kubernetes
 * takes, with the checks the JSON Schema cannot express (one source per volume, a claim either
 * existing or created, names Kubernetes accepts, mounts of declared volumes, no name shared with
 * a volume Slipway generates). Each problem names the field to change.
 */
import type { ServiceSpec, VolumeSpec } from '../spec/types';
import type { ServiceModel, StorageModel } from './types';
import type { Problems } from './problems';
import { dns1123Label, dns1123Subdomain } from './k8s-rules';
import { quantityValue } from './quantity';
import { childName } from './naming';
import { podVolumes } from '../render/volumes';
import { initContainerVolumes } from './init-containers';

const SOURCES = ['persistentVolumeClaim', 'emptyDir', 'configMap', 'secret', 'projected'] as const;
/** Volume kinds whose content comes from the API, mounted read-only unless the spec says otherwise. */
const READ_ONLY_BY_DEFAULT = new Set(['configMap', 'secret', 'projected']);

/** Resolves `volumes` and `mounts` (undefined when the spec has neither). */
export function resolveStorage(spec: ServiceSpec, fullname: string, problems: Problems): StorageModel | undefined {
  if (!spec.volumes && !spec.mounts) return undefined;
  const volumes = (spec.volumes ?? []).map((v, i) => resolveVolume(v, i, fullname, problems));
  const names = volumes.map((v) => v.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i) problems.add(['volumes', i, 'name'], `"${n}" is declared twice: volume names must be unique`);
    const bad = dns1123Label(n);
    if (bad) problems.add(['volumes', i, 'name'], `("${n}") is a volume name, which ${bad}`);
  });
  const mounts = (spec.mounts ?? []).map((m, i) => {
    const v = (spec.volumes ?? []).find((x) => x.name === m.volume);
    if (!v) problems.add(['mounts', i, 'volume'], `"${m.volume}" is not a declared volume (declared under volumes: ${names.join(', ') || 'none'})`);
    if (m.subPath !== undefined && m.subPath.split('/').includes('..')) problems.add(['mounts', i, 'subPath'], `("${m.subPath}") must not contain ".." as a path element`);
    const kind = v && SOURCES.find((k) => v[k] !== undefined);
    const readOnly = m.readOnly ?? (kind ? READ_ONLY_BY_DEFAULT.has(kind) : false);
    return { name: m.volume, mountPath: m.mountPath, ...(readOnly ? { readOnly: true } : {}), ...(m.subPath !== undefined ? { subPath: m.subPath } : {}) };
  });
  const initMounted = initContainerVolumes(spec);
  (spec.volumes ?? []).forEach((v, i) => {
    if (!initMounted.has(v.name) && !(spec.mounts ?? []).some((m) => m.volume === v.name)) problems.add(['volumes', i], `"${v.name}" is not mounted: add a mounts entry { volume: ${v.name}, mountPath: ... } (or an initContainers[].mounts entry) or remove it`);
  });
  return { volumes, mounts };
}

function resolveVolume(v: VolumeSpec, i: number, fullname: string, problems: Problems): StorageModel['volumes'][number] {
  const at = ['volumes', i];
  const given = SOURCES.filter((k) => v[k] !== undefined);
  if (given.length !== 1) problems.add(at, `needs exactly one of ${SOURCES.join(', ')} (found ${given.length ? given.join(', ') : 'none'})`);
  const subdomain = (path: (string | number)[], value: string, what: string) => {
    const bad = dns1123Subdomain(value);
    if (bad) problems.add(path, `("${value}") names ${what}, which ${bad}`);
  };
  if (v.persistentVolumeClaim) {
    const c = v.persistentVolumeClaim;
    const p = [...at, 'persistentVolumeClaim'];
    if ((c.claimName === undefined) === (c.size === undefined)) {
      problems.add(p, 'needs exactly one of claimName (an existing claim) and size (a claim Slipway creates)');
    }
    if (c.claimName !== undefined) {
      subdomain([...p, 'claimName'], c.claimName, 'a PersistentVolumeClaim');
      for (const k of ['storageClass', 'accessModes'] as const) if (c[k] !== undefined) problems.add([...p, k], 'applies only to a claim Slipway creates (size): an existing claim has its own');
      return { name: v.name, source: { persistentVolumeClaim: { claimName: c.claimName } } };
    }
    const size = c.size ?? '1Gi';
    if (quantityValue(size) <= 0) problems.add([...p, 'size'], `("${size}") must be more than 0, e.g. 10Gi`);
    if (c.storageClass !== undefined) subdomain([...p, 'storageClass'], c.storageClass, 'a StorageClass');
    const modes = c.accessModes ?? ['ReadWriteOnce'];
    modes.forEach((a, j) => { if (modes.indexOf(a) !== j) problems.add([...p, 'accessModes', j], `"${a}" is listed twice`); });
    const claimName = childName(fullname, v.name);
    const bad = dns1123Subdomain(claimName);
    if (bad) problems.add([...at, 'name'], `makes the claim name "${claimName}", which ${bad}`);
    return { name: v.name, source: { persistentVolumeClaim: { claimName } }, claim: { size, ...(c.storageClass !== undefined ? { storageClass: c.storageClass } : {}), accessModes: modes } };
  }
  if (v.emptyDir) {
    const e = v.emptyDir;
    if (e.sizeLimit !== undefined && quantityValue(e.sizeLimit) <= 0) problems.add([...at, 'emptyDir', 'sizeLimit'], `("${e.sizeLimit}") must be more than 0, e.g. 64Mi`);
    return { name: v.name, source: { emptyDir: { ...(e.medium ? { medium: e.medium } : {}), ...(e.sizeLimit !== undefined ? { sizeLimit: e.sizeLimit } : {}) } } };
  }
  if (v.configMap) {
    subdomain([...at, 'configMap', 'name'], v.configMap.name, 'a ConfigMap');
    return { name: v.name, source: { configMap: { name: v.configMap.name, ...(v.configMap.optional ? { optional: true } : {}) } } };
  }
  if (v.secret) {
    subdomain([...at, 'secret', 'secretName'], v.secret.secretName, 'a Secret');
    return { name: v.name, source: { secret: { secretName: v.secret.secretName, ...(v.secret.optional ? { optional: true } : {}) } } };
  }
  if (v.projected) {
    const sources = v.projected.sources.map((src, j) => {
      const p = [...at, 'projected', 'sources', j];
      const kinds = (['configMap', 'secret', 'serviceAccountToken'] as const).filter((k) => src[k] !== undefined);
      if (kinds.length !== 1) problems.add(p, `needs exactly one of configMap, secret, serviceAccountToken (found ${kinds.length ? kinds.join(', ') : 'none'})`);
      if (src.configMap) subdomain([...p, 'configMap', 'name'], src.configMap.name, 'a ConfigMap');
      if (src.secret) subdomain([...p, 'secret', 'name'], src.secret.name, 'a Secret');
      const t = src.serviceAccountToken;
      if (t && (t.path.startsWith('/') || t.path.split('/').includes('..') || !t.path)) problems.add([...p, 'serviceAccountToken', 'path'], `("${t.path}") must be a relative file path inside the volume, without ".."`);
      return src.configMap ? { configMap: { ...src.configMap } } : src.secret ? { secret: { ...src.secret } }
        : { serviceAccountToken: { path: t?.path ?? 'token', ...(t?.audience ? { audience: t.audience } : {}), expirationSeconds: t?.expirationSeconds ?? 3600 } };
    });
    return { name: v.name, source: { projected: { sources } } };
  }
  return { name: v.name, source: { emptyDir: {} } };
}

/** Names of `volumes` that a volume Slipway generates (writable paths, config, secrets, host paths, claims) already uses. */
export function checkStorageNames(spec: ServiceSpec, m: ServiceModel, problems: Problems): void {
  if (!m.storage) return;
  if (m.workload.kind === 'Sidecar') {
    problems.add([spec.volumes ? 'volumes' : 'mounts'], 'is a pod setting and does not apply to a Sidecar: declare it on the host service (or use workload.sidecar.sharedVolumes)');
    return;
  }
  const generated = new Map<string, string>(podVolumes({ ...m, storage: undefined }).map((v) => [String(v.volume.name), 'a volume Slipway generates']));
  for (const c of m.workload.statefulSet?.volumeClaims ?? []) generated.set(c.name, 'a workload.statefulSet.volumeClaims entry');
  for (const n of Object.keys(m.workload.sidecar?.sharedVolumes ?? {})) generated.set(n, 'a workload.sidecar.sharedVolumes entry');
  const kind = m.workload.kind;
  const pods = kind === 'DaemonSet' ? 'a pod on every node' : m.scaling.autoscaling.enabled && kind === 'Deployment' ? `up to ${m.scaling.autoscaling.maxReplicas} pods (autoscaling)` : m.scaling.replicas > 1 ? `${m.scaling.replicas} pods (replicas)` : undefined;
  m.storage.volumes.forEach((v, i) => {
    if (!v.claim || !pods || v.claim.accessModes.some((a) => a === 'ReadWriteMany' || a === 'ReadOnlyMany')) return;
    const fix = kind === 'StatefulSet' ? 'move it to workload.statefulSet.volumeClaims (a claim per replica)' : 'use accessModes: [ReadWriteMany] with a StorageClass that supports it, or replicas: 1';
    problems.add(['volumes', i, 'persistentVolumeClaim'], `creates one ${v.claim.accessModes.join('/')} claim that ${pods} would share: pods on other nodes could not attach it. ${fix[0].toUpperCase()}${fix.slice(1)}`);
  });
  (spec.volumes ?? []).forEach((v, i) => {
    const other = generated.get(v.name);
    if (other) problems.add(['volumes', i, 'name'], `"${v.name}" is already the name of ${other} (writable paths, config files and mounted secrets make volumes named tmp, config-files, secret-<name>, host-...): choose another name`);
  });
}
