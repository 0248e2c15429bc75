/**
 * The spec's extra volumes (`volumes`/`mounts`): pod volumes, the main container's mounts, and
 * the PersistentVolumeClaims Slipway creates (`<fullname>-<volume>`, Helm: `persistence.<volume>.*`,
 * the claim's name following the release in the pod too).
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ServiceModel } from '../model/types';
import { metadata, nameExpr, recordMetadata, type RenderContext } from './context';
import type { Binding } from './recorder';

/** The extra pod volumes (in spec order). */
export function storageVolumes(m: ServiceModel): Record<string, unknown>[] {
  return (m.storage?.volumes ?? []).map((v) => ({ name: v.name, ...structuredClone(v.source) }));
}

/** The extra mounts of the main container (in spec order). */
export function storageMounts(m: ServiceModel): Record<string, unknown>[] {
  return (m.storage?.mounts ?? []).map((x) => ({ ...x }));
}

/** Binds the names of created claims in the pod's volumes (they follow the release's full name). */
export function bindStorageVolumes(ctx: RenderContext, bs: Binding[], path: string, offset: number): void {
  (ctx.model.storage?.volumes ?? []).forEach((v, i) => {
    if (v.claim) ctx.rec.expr(bs, `${path}/${offset + i}/persistentVolumeClaim/claimName`, nameExpr(ctx, v.name));
  });
}

/** The PersistentVolumeClaims Slipway creates for `volumes[].persistentVolumeClaim.size`. */
export function renderStorageClaims(scope: Construct, ctx: RenderContext): void {
  const m = ctx.model;
  if (m.workload.kind === 'Sidecar') return;
  for (const v of m.storage?.volumes ?? []) {
    if (!v.claim) continue;
    const bs: Binding[] = [];
    recordMetadata(ctx, bs, v.name);
    ctx.rec.scalar(bs, '/spec/resources/requests/storage', `persistence.${v.name}.size`, `Size of the "${v.name}" claim`);
    ctx.rec.block(bs, '/spec/accessModes', `persistence.${v.name}.accessModes`, `Access modes of the "${v.name}" claim`);
    if (v.claim.storageClass !== undefined) ctx.rec.scalar(bs, '/spec/storageClassName', `persistence.${v.name}.storageClass`, `StorageClass of the "${v.name}" claim`);
    const obj = new ApiObject(scope, `pvc-${v.name}`, {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: metadata(m, v.name),
      spec: { accessModes: [...v.claim.accessModes], resources: { requests: { storage: v.claim.size } }, ...(v.claim.storageClass !== undefined ? { storageClassName: v.claim.storageClass } : {}) },
    });
    ctx.rec.attach(obj, bs);
    ctx.rec.fileFor(obj, `pvc-${v.name}.yaml`);
  }
}
