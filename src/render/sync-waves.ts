import type { ApiObject } from 'cdk8s';
import type { ServiceModel } from '../model/types';
import { isHook } from './migration';

export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/**
 * Argo CD sync waves where order matters: what the pods read (ServiceAccount, ConfigMaps,
 * Secrets, ExternalSecrets) is applied, and healthy — an ExternalSecret is healthy once its Secret
 * is synced — in wave -1, before the workloads and everything else in wave 0. Hooks (the
 * migration Job and its copies) carry their own waves inside the PreSync phase.
 * Off with `gitops.syncWaves: false`. Helm ignores these annotations.
 */
export const WAVES: Readonly<Record<string, number>> = {
  ServiceAccount: -1,
  ConfigMap: -1,
  PersistentVolumeClaim: -1,
  Secret: -1,
  ExternalSecret: -1,
  // The permissions of the ServiceAccount, in place before pods that call the API start.
  Role: -1,
  RoleBinding: -1,
  ClusterRole: -1,
  ClusterRoleBinding: -1,
};

/** Annotates the objects of one service with their sync wave (static in the chart too). */
export function applySyncWaves(m: ServiceModel, objects: readonly ApiObject[]): void {
  if (!m.syncWaves) return;
  for (const obj of objects) {
    const wave = WAVES[obj.kind];
    if (wave === undefined || isHook(obj)) continue;
    obj.metadata.addAnnotation(SYNC_WAVE, String(wave));
  }
}
