/**
 * Vitest global setup for the cluster suite: one cluster for all test files (fileParallelism is
 * off). Uses KUBECONFIG when it points at an existing cluster (kind), else starts the local
 * control plane from controlplane.ts. Test files read it with `inject('cluster')`.
 */
import type { TestProject } from 'vitest/node';
import { useCluster } from './controlplane';
import { componentVersions } from './support/versions';

export interface ProvidedCluster {
  kubeconfig: string;
  /** False when running against an external cluster (KUBECONFIG). */
  local: boolean;
  logDir?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    cluster: ProvidedCluster;
  }
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  const cluster = await useCluster();
  console.log(`[cluster] ${cluster.local ? 'local control plane' : 'external cluster'} ready in ` +
    `${Date.now() - started} ms (kubeconfig ${cluster.kubeconfig})`);
  project.provide('cluster', { kubeconfig: cluster.kubeconfig, local: cluster.local, logDir: cluster.logDir });
  const versions = await componentVersions(cluster.kubeconfig, cluster.local);
  console.log(`[cluster] component versions:\n${versions.map(([k, v]) => `  ${k.padEnd(26)} ${v}`).join('\n')}`);
  return async () => cluster.stop();
}
