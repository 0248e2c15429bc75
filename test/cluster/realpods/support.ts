/**
 * Shared by the real-pod tests: which node runs the pods, namespaces that land on it, and waiting.
 * Locally the pods run on realnode/node.ts's node; with KUBECONFIG pointing at a kind cluster, on
 * kind's nodes (nothing here depends on the local node except the isolation checks).
 */
import { spawnSync } from 'node:child_process';
import { inject } from 'vitest';
import { kubectl, type RunResult } from '../controlplane';
import { NODE_LABEL } from '../realnode/config';
import '../realnode/provided';

export const cluster = inject('cluster');
export const realNode = inject('realNode');
/** Why the real-pod tests cannot run (undefined when pods run, locally or on an external cluster). */
export const skipReason = realNode.planDir || realNode.external ? undefined : realNode.unavailable ?? 'no real node';
if (skipReason && process.env.CI && process.env.SLIPWAY_REAL_NODE !== '0') {
  throw new Error(`real-pod tests cannot run under CI: ${skipReason}`);
}
if (skipReason) console.warn(`SKIPPED real-pod tests: ${skipReason}`);

/** kubectl against the suite's cluster; throws with stderr unless `allowFail`. */
export function k(args: string[], opts: { input?: string; allowFail?: boolean } = {}): RunResult {
  const r = kubectl(cluster.kubeconfig, args, opts.input);
  if (r.code !== 0 && !opts.allowFail) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r;
}

/**
 * A namespace enforcing Pod Security `level` whose pods go to the real node: the PodNodeSelector
 * and PodTolerationRestriction admission plugins (enabled with the local node) add the node's
 * selector and toleration to every pod, so charts need no change. On kind both are ignored.
 */
export function realNamespace(name: string, level: 'restricted' | 'baseline' | 'privileged' = 'restricted'): string {
  k(['delete', 'namespace', name, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  const annotations = realNode.planDir ? {
    'scheduler.alpha.kubernetes.io/node-selector': `${NODE_LABEL}=true`,
    'scheduler.alpha.kubernetes.io/defaultTolerations': JSON.stringify([{ key: NODE_LABEL, operator: 'Exists', effect: 'NoSchedule' }]),
  } : {};
  k(['apply', '-f', '-'], { input: JSON.stringify({
    apiVersion: 'v1', kind: 'Namespace',
    metadata: {
      name, annotations,
      labels: { 'slipway.dev/real-pods': 'true', 'pod-security.kubernetes.io/enforce': level, 'pod-security.kubernetes.io/enforce-version': 'v1.28' },
    },
  }) });
  return name;
}

/** Polls fn (sync or async) until it returns a truthy value; throws after timeoutMs with the last value. */
export async function until<T>(what: string, timeoutMs: number, fn: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not after ${timeoutMs} ms (last: ${String(last)})`);
}

/** Runs a command inside a network namespace (the local node's). */
export function inNetns(netns: string, args: string[]): RunResult {
  const r = spawnSync('nsenter', [`--net=/run/netns/${netns}`, '--', ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/**
 * helm flags that target a DaemonSet at the local real node: the DaemonSet controller decides from
 * the pod template (not the admitted pod) which nodes get a pod, so the namespace's node selector
 * and default toleration (realNamespace) do not keep it off the kwok nodes or let it onto the
 * tainted real node. Through the chart's own `nodeSelector` and `tolerations` values, as a user
 * targets a node pool. Nothing on kind.
 */
export function daemonSetNodeValues(): string[] {
  if (!realNode.planDir) return [];
  return ['--set-json', `nodeSelector=${JSON.stringify({ [NODE_LABEL]: 'true' })}`,
    '--set-json', `tolerations=${JSON.stringify([{ key: NODE_LABEL, operator: 'Exists', effect: 'NoSchedule' }])}`];
}
