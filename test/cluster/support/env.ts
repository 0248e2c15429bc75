/**
 * What the suite runs against, for the test files: the cluster from global-setup.ts and whether
 * pods can become Ready there.
 */
import { inject } from 'vitest';
import { Kube } from './kube';

export const cluster = inject('cluster');
export const kube = new Kube(cluster.kubeconfig);

/**
 * Pods of the examples become Ready only on kwok nodes (the local control plane): their images are
 * not pullable anywhere and their probes would fail. On a real cluster (kind) the steps that wait
 * for Ready pods, Jobs or hooks are skipped, unless SLIPWAY_E2E_PODS_READY=1 says the images were
 * loaded into it (e.g. `kind load docker-image`) and really serve their health endpoints.
 */
export const podsBecomeReady = cluster.local || process.env.SLIPWAY_E2E_PODS_READY === '1';

/** Short random suffix so repeated runs on a long-lived cluster never collide. */
export const runId = Math.random().toString(36).slice(2, 6);

/** A namespace name (<= 63 chars, DNS label) for one example and phase. */
export function nsName(example: string, phase: string): string {
  return `e2e-${example.slice(0, 40)}-${phase}-${runId}`.replace(/[^a-z0-9-]/g, '-').slice(0, 63).replace(/-+$/, '');
}
