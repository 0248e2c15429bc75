import { defineConfig } from 'vitest/config';

/**
 * Cluster tests (`npm run test:cluster`): real kube-apiserver/etcd/controller-manager/scheduler/kwok
 * started once by test/cluster/global-setup.ts, or the cluster in KUBECONFIG (e.g. kind), plus the
 * real checkers (kube-linter, kube-score, Polaris, kubeconform) and helm 3 + 4. See
 * docs/cluster-tests.md. The verbose reporter prints every step of every example, so CI logs show
 * `<example> › helm4 install --wait` passing (or not) one by one.
 */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    globalSetup: ['test/cluster/global-setup.ts'],
    fileParallelism: false,
    reporters: ['verbose'],
    // Concurrent suites (helm releases, checker runs) mostly wait on child processes and the API server.
    maxConcurrency: 16,
    testTimeout: 180_000,
    hookTimeout: 240_000,
    teardownTimeout: 60_000,
  },
});
