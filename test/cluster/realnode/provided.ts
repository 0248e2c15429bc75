/** What global-setup.ts gives test files about the real node (`inject('realNode')`). */
export interface ProvidedRealNode {
  /** Node name; undefined when no local node runs (see `unavailable`). */
  readonly name?: string;
  /** The run's network namespace (`ip netns`), local node only. */
  readonly netns?: string;
  /** containerd's socket (images are imported with `ctr -n k8s.io images import`). */
  readonly containerdSocket?: string;
  /** The host network state before the node started (realnode/host.ts hostNetworkSnapshot). */
  readonly hostBefore?: string;
  /** Why no local node runs: an external cluster (its own nodes are real), or what is missing. */
  readonly unavailable?: string;
  /** True when KUBECONFIG points at an external cluster (kind): its nodes run pods. */
  readonly external?: boolean;
}

declare module 'vitest' {
  export interface ProvidedContext {
    realNode: ProvidedRealNode;
  }
}
