/** What global-setup.ts gives test files about the real node (`inject('realNode')`). */
export interface ProvidedRealNode {
  /**
   * The node's planned directory (realnode/node.ts readPlan): the control plane is ready for it.
   * Real-pod test files start the node for their own duration (realnode/use.ts), so the kwok tier
   * never sees it (a DaemonSet tolerating every taint would otherwise land on it).
   */
  readonly planDir?: string;
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
