/**
 * The StatefulSet's own parts: its spec fields (governing Service, replicas, ordering, partitioned
 * rolling update, claim retention, volume claim templates) with their chart values, the claims'
 * mounts in the main container, and the headless Service that gives each pod its DNS name
 * `<fullname>-<ordinal>.<fullname>-headless` (Helm: `statefulSet.*`, `persistence.<claim>.*`).
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ServiceModel } from '../model/types';
import { HEADLESS_SUFFIX } from '../model/stateful';
import { childName } from '../model/naming';
import { metadata, nameExpr, recordMetadata, selectorLabels, type RenderContext } from './context';
import type { Binding } from './recorder';

/** The name of the governing headless Service. */
export function headlessServiceName(m: ServiceModel): string {
  return childName(m.fullname, HEADLESS_SUFFIX);
}

/** Mounts of the volume claim templates in the main container (none for other kinds). */
export function claimMounts(m: ServiceModel): { name: string; mountPath: string }[] {
  return (m.workload.statefulSet?.volumeClaims ?? []).map((c) => ({ name: c.name, mountPath: c.mountPath }));
}

/** The StatefulSet-specific spec fields, with bindings relative to the workload object. */
export function statefulSetFields(ctx: RenderContext, bs: Binding[]): Record<string, unknown> {
  const m = ctx.model;
  const s = m.workload.statefulSet!;
  const rec = ctx.rec;
  rec.expr(bs, '/spec/serviceName', nameExpr(ctx, HEADLESS_SUFFIX));
  rec.scalar(bs, '/spec/replicas', 'replicaCount', 'Replicas (one PersistentVolumeClaim per replica and claim)');
  rec.scalar(bs, '/spec/podManagementPolicy', 'statefulSet.podManagementPolicy', 'OrderedReady (one by one) or Parallel');
  rec.scalar(bs, '/spec/updateStrategy/rollingUpdate/partition', 'statefulSet.partition', 'Only pods with an ordinal >= partition are updated');
  rec.block(bs, '/spec/persistentVolumeClaimRetentionPolicy', 'statefulSet.persistentVolumeClaimRetentionPolicy', 'Keep (Retain) or delete (Delete) the claims whenDeleted / whenScaled');
  const templates = s.volumeClaims.map((c, i) => {
    const at = `/spec/volumeClaimTemplates/${i}/spec`;
    rec.scalar(bs, `${at}/resources/requests/storage`, `persistence.${c.name}.size`, `Size of each replica's "${c.name}" claim`);
    rec.block(bs, `${at}/accessModes`, `persistence.${c.name}.accessModes`, `Access modes of the "${c.name}" claims`);
    if (c.storageClass !== undefined) rec.scalar(bs, `${at}/storageClassName`, `persistence.${c.name}.storageClass`, `StorageClass of the "${c.name}" claims`);
    return {
      metadata: { name: c.name },
      spec: { accessModes: [...c.accessModes], resources: { requests: { storage: c.size } }, ...(c.storageClass !== undefined ? { storageClassName: c.storageClass } : {}) },
    };
  });
  return {
    serviceName: headlessServiceName(m),
    replicas: m.scaling.replicas,
    podManagementPolicy: s.podManagementPolicy,
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: s.partition } },
    persistentVolumeClaimRetentionPolicy: { ...s.retention },
    ...(templates.length ? { volumeClaimTemplates: templates } : {}),
  };
}

/**
 * The governing headless Service (`clusterIP: None`): DNS names for each pod, on the exposed ports
 * (all declared ports when none is exposed, so peers still get SRV records). Always rendered with
 * the StatefulSet, which names it.
 */
export function renderHeadlessService(scope: Construct, ctx: RenderContext): void {
  const m = ctx.model;
  const s = m.workload.statefulSet;
  if (!s) return;
  const bs: Binding[] = [];
  recordMetadata(ctx, bs, HEADLESS_SUFFIX);
  ctx.rec.include(bs, '/spec/selector', 'selectorLabels');
  ctx.rec.scalar(bs, '/spec/publishNotReadyAddresses', 'statefulSet.publishNotReadyAddresses', 'Publish not-ready pods in the headless Service (peer discovery while starting)');
  const exposed = m.container.ports.filter((p) => p.expose);
  const ports = (exposed.length ? exposed : m.container.ports).map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
  const obj = new ApiObject(scope, 'headless-service', {
    apiVersion: 'v1', kind: 'Service', metadata: metadata(m, HEADLESS_SUFFIX),
    spec: { clusterIP: 'None', publishNotReadyAddresses: s.publishNotReadyAddresses, selector: selectorLabels(m), ...(ports.length ? { ports } : {}) },
  });
  ctx.rec.attach(obj, bs);
  ctx.rec.fileFor(obj, 'service-headless.yaml');
}
