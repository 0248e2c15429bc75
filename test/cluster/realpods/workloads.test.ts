/**
 * Real pods beyond the Deployment, on a real kubelet: a DaemonSet with a named Pod Security
 * exception (hostPath) Ready in a `privileged` namespace and really seeing the node's directory;
 * a native sidecar (restartPolicy Always init container) whose startup probe gates the app
 * container; a classic sidecar sharing an emptyDir with the app. Specs: test/fixture/specs/.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOk } from '../support/run';
import { useRealNode } from '../realnode/use';
import { buildFixture, fixtureImageRef, fixtureImageValues, synthSpec, type Fixture } from './fixture-image';
import { cluster, daemonSetNodeValues, k, realNamespace, skipReason } from './support';

const AGENT_NS = 'realpods-agent';
const SIDECAR_NS = 'realpods-sidecars';

describe.skipIf(!!skipReason)('real pods: DaemonSet and sidecars on a real kubelet', () => {
  const local = useRealNode();
  let fx: Fixture;
  const times: Record<string, number> = {};
  const pods = (ns: string, instance: string): any[] => JSON.parse(k(['-n', ns, 'get', 'pods', '-l', `app.kubernetes.io/instance=${instance}`, '-o', 'json']).stdout)
    .items.filter((p: any) => !p.metadata.deletionTimestamp);
  const exec = (ns: string, pod: string, container: string, ...args: string[]) =>
    k(['-n', ns, 'exec', pod, '-c', container, '--', '/usr/local/bin/fixture', ...args]).stdout;

  beforeAll(async () => {
    fx = await buildFixture(local.node?.containerdSocket);
    realNamespace(AGENT_NS, 'privileged');
    realNamespace(SIDECAR_NS, 'restricted');
  }, 240_000);

  afterAll(() => {
    console.log(`[realpods] workloads timings (ms): ${JSON.stringify(times)}`);
    if (fx) fs.rmSync(fx.work, { recursive: true, force: true });
    for (const ns of [AGENT_NS, SIDECAR_NS]) k(['delete', 'namespace', ns, '--wait=false'], { allowFail: true });
  });

  it('DaemonSet with a hostPath exception: Ready in a privileged namespace, the node directory mounted', async () => {
    const chart = await synthSpec(fx, 'agent', 'fixture-agent');
    const t = Date.now();
    await runOk('helm3', ['install', 'agent', chart, `--kubeconfig=${cluster.kubeconfig}`, '-n', AGENT_NS, '--wait', '--timeout', '120s', ...fixtureImageValues(fx), ...daemonSetNodeValues()]);
    // helm's --wait counts a DaemonSet ready when desired - maxUnavailable (1 - 1 on one node) pods
    // are: it returns before the pod is Ready. kubectl's rollout status waits for all of them.
    k(['-n', AGENT_NS, 'rollout', 'status', 'daemonset/agent-fixture-agent', '--timeout=120s']);
    times['DaemonSet helm install --wait + rollout status'] = Date.now() - t;
    const ds = JSON.parse(k(['-n', AGENT_NS, 'get', 'daemonset', '-l', 'app.kubernetes.io/instance=agent', '-o', 'json']).stdout).items[0];
    expect(ds.status.desiredNumberScheduled).toBeGreaterThan(0);
    expect(ds.status.numberReady).toBe(ds.status.desiredNumberScheduled);
    const [pod] = pods(AGENT_NS, 'agent');
    expect(pod.metadata.annotations['slipway.dev/security-exception.read-pod-logs']).toMatch(/^hostPath: /);
    expect(pod.spec.volumes.find((v: any) => v.hostPath)?.hostPath.path).toBe('/var/log/pods');
    // Everything else stays restricted: non-root, no privilege escalation, read-only root.
    const c = pod.spec.containers[0];
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    // The kubelet keeps this pod's own logs there: the mount is the node's directory.
    expect(exec(AGENT_NS, pod.metadata.name, c.name, 'ls', '/var/log/pods').split('\n')).toContain(`${AGENT_NS}_${pod.metadata.name}_${pod.metadata.uid}`);
  });

  it('native sidecar: Ready before the app container starts; classic sidecar: shares the app\'s volume', async () => {
    const chart = await synthSpec(fx, 'sidecars', 'fixture-host');
    const t = Date.now();
    await runOk('helm3', ['install', 'sc', chart, `--kubeconfig=${cluster.kubeconfig}`, '-n', SIDECAR_NS, '--wait', '--timeout', '120s',
      ...fixtureImageValues(fx), '--set', 'replicaCount=1',
      '--set', `sidecars.fixture-native.image=${fixtureImageRef(fx)}`, '--set', `sidecars.fixture-classic.image=${fixtureImageRef(fx)}`]);
    times['sidecars helm install --wait'] = Date.now() - t;
    const [pod] = pods(SIDECAR_NS, 'sc');
    const native = pod.status.initContainerStatuses.find((s: any) => s.name === 'fixture-native');
    const app = pod.status.containerStatuses.find((s: any) => s.name === 'fixture-host');
    const classic = pod.status.containerStatuses.find((s: any) => s.name === 'fixture-classic');
    expect(pod.spec.initContainers.find((c: any) => c.name === 'fixture-native').restartPolicy).toBe('Always');
    // The native sidecar keeps running next to the app (it is not a run-to-completion init container).
    expect(native).toMatchObject({ ready: true, started: true, restartCount: 0 });
    expect(native.state.running).toBeDefined();
    expect(app.ready && classic.ready).toBe(true);
    // The sidecar's gRPC startup probe fails for its first 3 s (FIXTURE_START_DELAY): the app
    // container may only start once it passed. startedAt has second precision.
    const gap = (Date.parse(app.state.running.startedAt) - Date.parse(native.state.running.startedAt)) / 1000;
    times['native sidecar start -> app start (s)'] = gap;
    expect(gap).toBeGreaterThanOrEqual(2);
    // The app writes its start marker to /var/shared (FIXTURE_WRITABLE_DIR); the classic sidecar
    // serves the files of its own /var/shared (FIXTURE_CONFIG_DIR): the same emptyDir.
    const out = exec(SIDECAR_NS, pod.metadata.name, 'fixture-classic', 'get', 'http://127.0.0.1:8082/config');
    const files = JSON.parse(out.slice(out.indexOf('{'))).files;
    expect(Object.keys(files)).toContain('fixture-started');
    expect(exec(SIDECAR_NS, pod.metadata.name, 'fixture-host', 'get', 'http://127.0.0.1:8080/whoami')).toMatch(/uid=10001/);
  });
});
