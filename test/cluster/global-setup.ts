/**
 * Vitest global setup for the cluster suite: one cluster for all test files (fileParallelism is
 * off). Uses KUBECONFIG when it points at an existing cluster (kind), else starts the local
 * control plane from controlplane.ts. Test files read it with `inject('cluster')`.
 */
import type { TestProject } from 'vitest/node';
import { LOCAL_CONTROL_PLANE, useCluster } from './controlplane';
import fs from 'node:fs';
import { nodeUnavailable, planNode } from './realnode/node';
import type { ProvidedRealNode } from './realnode/provided';
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
  // A real node (realnode/node.ts) joins the local control plane when this machine can run one.
  const why = LOCAL_CONTROL_PLANE ? nodeUnavailable() : 'external cluster (KUBECONFIG): its own nodes run the pods';
  const plan = why ? undefined : planNode();
  const cluster = await useCluster(plan ? { apiServerArgs: plan.apiServerArgs, tokens: plan.tokens } : {});
  console.log(`[cluster] ${cluster.local ? 'local control plane' : 'external cluster'} ready in ` +
    `${Date.now() - started} ms (kubeconfig ${cluster.kubeconfig})`);
  project.provide('cluster', { kubeconfig: cluster.kubeconfig, local: cluster.local, logDir: cluster.logDir });
  const versions = await componentVersions(cluster.kubeconfig, cluster.local);
  console.log(`[cluster] component versions:\n${versions.map(([k, v]) => `  ${k.padEnd(26)} ${v}`).join('\n')}`);
  // The real node is started by the real-pod test files themselves (realnode/use.ts).
  const realNode: ProvidedRealNode = plan ? { planDir: plan.dir } : { unavailable: why, external: !LOCAL_CONTROL_PLANE };
  if (!plan) console.log(`[realnode] no local node: ${why}`);
  project.provide('realNode', realNode);
  return async () => {
    await cluster.stop();
    if (plan && process.env.SLIPWAY_KEEP_CLUSTER !== '1') fs.rmSync(plan.dir, { recursive: true, force: true });
  };
}
