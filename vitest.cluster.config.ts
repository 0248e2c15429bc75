import { defineConfig } from 'vitest/config';

/**
 * Cluster tests (`npm run test:cluster`): real kube-apiserver/etcd/controller-manager/scheduler/kwok
 * started once by test/cluster/global-setup.ts, or the cluster in KUBECONFIG (e.g. kind).
 */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    globalSetup: ['test/cluster/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 240_000,
    teardownTimeout: 60_000,
  },
});
