/**
 * The StatefulSet variant: settings resolved with their defaults, and the checks the JSON Schema
 * cannot express (ordinal-safe names, claim names and mount paths, fields of other kinds).
 * Each problem names the field to change.
 */
import type { ServiceSpec } from '../spec/types';
import type { StatefulSetModel, WorkloadKind } from './types';
import type { Problems } from './problems';
import { dns1123Label, dns1123Subdomain } from './k8s-rules';
import { quantityValue } from './quantity';

/**
 * Longest StatefulSet name: its pods carry `controller-revision-hash: <name>-<hash>` (a label
 * value, at most 63 characters, the hash up to 10 plus "-"), so Kubernetes refuses longer ones.
 */
export const STATEFULSET_NAME_MAX = 52;

/** Suffix of the governing headless Service's name. */
export const HEADLESS_SUFFIX = 'headless';

/** Resolves `workload.statefulSet` for a StatefulSet (undefined for other kinds, after checking it is absent). */
export function resolveStatefulSet(spec: ServiceSpec, kind: WorkloadKind, fullname: string, problems: Problems): StatefulSetModel | undefined {
  const s = spec.workload?.statefulSet;
  if (kind !== 'StatefulSet') {
    if (s) problems.add(['workload', 'statefulSet'], `applies only to workload.kind: StatefulSet (this is a ${kind})`);
    return undefined;
  }
  const at = spec.instance !== undefined ? 'instance' : 'name';
  if (fullname.length > STATEFULSET_NAME_MAX) {
    problems.add([at], `makes the StatefulSet name "${fullname}" (${fullname.length} characters); its pods get the label controller-revision-hash "<name>-<hash>", so Kubernetes allows at most ${STATEFULSET_NAME_MAX}: shorten ${at} by ${fullname.length - STATEFULSET_NAME_MAX}`);
  }
  if (spec.workload?.updateStrategy) {
    problems.add(['workload', 'updateStrategy'], 'does not apply to a StatefulSet (it replaces pods one at a time, highest ordinal first): use workload.statefulSet.partition for a staged rollout');
  }
  if (spec.autoscaling) {
    problems.add(['autoscaling'], 'does not apply to a StatefulSet here: scaling down would leave claims of removed replicas behind. Set a fixed `replicas`');
  }
  const claims = (s?.volumeClaims ?? []).map((c) => ({
    name: c.name, size: c.size, ...(c.storageClass !== undefined ? { storageClass: c.storageClass } : {}),
    accessModes: c.accessModes ?? ['ReadWriteOnce'], mountPath: c.mountPath,
  }));
  claims.forEach((c, i) => {
    const path = ['workload', 'statefulSet', 'volumeClaims', i];
    if (claims.findIndex((o) => o.name === c.name) !== i) problems.add([...path, 'name'], `"${c.name}" is declared twice: claim names must be unique`);
    const bad = dns1123Label(c.name);
    if (bad) problems.add([...path, 'name'], `("${c.name}") is a volume name, which ${bad}`);
    const pvc = `${c.name}-${fullname}-0`;
    const pvcBad = dns1123Subdomain(pvc);
    if (pvcBad) problems.add([...path, 'name'], `makes the claim name "${pvc}", which ${pvcBad}`);
    if (quantityValue(c.size) <= 0) problems.add([...path, 'size'], `("${c.size}") must be more than 0, e.g. 10Gi`);
    if (c.storageClass !== undefined) {
      const sc = dns1123Subdomain(c.storageClass);
      if (sc) problems.add([...path, 'storageClass'], `("${c.storageClass}") names a StorageClass, which ${sc}`);
    }
    c.accessModes.forEach((a, j) => {
      if (c.accessModes.indexOf(a) !== j) problems.add([...path, 'accessModes', j], `"${a}" is listed twice`);
    });
    if (c.accessModes.includes('ReadWriteOncePod') && c.accessModes.length > 1) {
      problems.add([...path, 'accessModes'], 'ReadWriteOncePod cannot be combined with another access mode: keep it alone');
    }
  });
  return {
    podManagementPolicy: s?.podManagementPolicy ?? 'OrderedReady',
    partition: s?.partition ?? 0,
    volumeClaims: claims,
    retention: { whenDeleted: s?.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? 'Retain', whenScaled: s?.persistentVolumeClaimRetentionPolicy?.whenScaled ?? 'Retain' },
    publishNotReadyAddresses: s?.publishNotReadyAddresses ?? true,
  };
}
