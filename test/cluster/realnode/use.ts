/**
 * Starts the local real node for one test file (beforeAll) and stops it after (afterAll), failing
 * the file when the stop leaves anything behind. Test files run one at a time in the cluster suite,
 * so no other tier's pods (a DaemonSet tolerating every taint, say) can land on the node.
 */
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { readPlan, startNode, type NodeOptions, type RealNode } from './node';
import './provided';

export interface NodeHandle {
  /** The running node (set in beforeAll). */
  node?: RealNode;
  /** What its stop left behind (set in afterAll; the afterAll fails when not empty). */
  left?: string[];
}

/** Registers the node's start and stop hooks in the calling file; returns a handle to it. */
export function useRealNode(opts: NodeOptions = {}): NodeHandle {
  const h: NodeHandle = {};
  const planDir = inject('realNode').planDir;
  beforeAll(async () => {
    if (!planDir) return;
    h.node = await startNode(readPlan(planDir), inject('cluster').kubeconfig, undefined, opts);
  }, 180_000);
  afterAll(() => {
    if (!h.node) return;
    h.node.stop();
    h.left = h.node.leftovers();
    expect(h.left, 'the real node left these behind').toEqual([]);
  }, 180_000);
  return h;
}
