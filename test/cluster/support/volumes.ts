/**
 * Storage for the claims of an example on a control plane without a provisioner (the local one:
 * kwok nodes, no CSI driver, no default StorageClass; kind has one and needs none of this): one
 * PersistentVolume pre-bound (claimRef) to each claim the manifests create or a StatefulSet's
 * volumeClaimTemplates will create, with the claim's class, size and access modes. kwok never
 * mounts it; the PV controller binds it, so the scheduler can place the pods.
 */
import type { K8sObject } from './examples';

/** The claims an example's objects lead to: PersistentVolumeClaims, and each StatefulSet template x replica. */
export function claimsOf(objects: readonly K8sObject[]): { name: string; spec: any }[] {
  const out: { name: string; spec: any }[] = [];
  for (const o of objects) {
    if (o.kind === 'PersistentVolumeClaim') out.push({ name: o.metadata.name, spec: (o as any).spec });
    if (o.kind !== 'StatefulSet') continue;
    const s = (o as any).spec;
    for (const t of s.volumeClaimTemplates ?? []) {
      for (let i = 0; i < (s.replicas ?? 1); i++) out.push({ name: `${t.metadata.name}-${o.metadata.name}-${i}`, spec: t.spec });
    }
  }
  return out;
}

/** Pre-bound PersistentVolumes for the claims of `objects` in `ns` (labelled `label`). */
export function volumesFor(ns: string, objects: readonly K8sObject[], label: Record<string, string>): K8sObject[] {
  return claimsOf(objects).map((c) => ({
    apiVersion: 'v1', kind: 'PersistentVolume',
    metadata: { name: `${ns}-${c.name}`.slice(0, 253), labels: label },
    spec: {
      capacity: { storage: c.spec.resources.requests.storage },
      accessModes: c.spec.accessModes,
      storageClassName: c.spec.storageClassName ?? '',
      persistentVolumeReclaimPolicy: 'Retain',
      claimRef: { namespace: ns, name: c.name },
      hostPath: { path: `/tmp/slipway-e2e/${ns}/${c.name}` },
    },
  } as unknown as K8sObject));
}

/**
 * The claims an uninstall must leave behind: those of StatefulSets that retain them on deletion
 * (`persistentVolumeClaimRetentionPolicy.whenDeleted: Retain`, Kubernetes' default), as `kind/name`.
 */
export function retainedClaims(objects: readonly K8sObject[]): string[] {
  return objects
    .filter((o) => o.kind === 'StatefulSet' && ((o as any).spec.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? 'Retain') === 'Retain')
    .flatMap((o) => claimsOf([o]).map((c) => `persistentvolumeclaim/${c.name}`));
}
