/**
 * Real pods: the fixture service's Slipway chart (test/fixture/slipway.yaml) installed with
 * `helm install --wait` on a real kubelet, in a namespace enforcing Pod Security `restricted`, with
 * the image Slipway's own image definition built. Then each probe kind really fires: the gRPC
 * startup probe gates, readiness flips Ready when the app's readiness is switched off (and back),
 * a failing liveness endpoint makes kubelet restart the container, and until the startup probe
 * passes (the app not serving for 6 s) kubelet runs neither liveness nor readiness.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runOk } from '../support/run';
import { useRealNode } from '../realnode/use';
import { buildFixture, fixtureImageValues, type Fixture } from './fixture-image';
import { cluster, k, realNamespace, skipReason, until } from './support';

const NS = 'realpods-fixture';
const RELEASE = 'fx';

describe.skipIf(!!skipReason)('real pods: a Slipway Deployment on a real kubelet', () => {
  const local = useRealNode();
  let fx: Fixture;
  let pod: string;
  const times: Record<string, number> = {};
  const kc = () => [`--kubeconfig=${cluster.kubeconfig}`, '-n', NS];
  const podJson = () => JSON.parse(k(['-n', NS, 'get', 'pod', pod, '-o', 'json']).stdout);
  const ready = (p = podJson()) => p.status.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status;
  const restarts = (p = podJson()) => p.status.containerStatuses?.[0]?.restartCount ?? 0;
  /** The release's pods that are not terminating (the chart's default is 2 replicas). */
  const livePods = (): any[] => JSON.parse(k(['-n', NS, 'get', 'pods', '-l', `app.kubernetes.io/instance=${RELEASE}`, '-o', 'json']).stdout)
    .items.filter((p: any) => !p.metadata.deletionTimestamp);
  const execIn = (...args: string[]) => k(['-n', NS, 'exec', pod, '-c', 'fixture', '--', '/usr/local/bin/fixture', ...args]).stdout;

  beforeAll(async () => {
    fx = await buildFixture(local.node?.containerdSocket);
    realNamespace(NS, 'restricted');
  }, 240_000);

  afterAll(() => {
    console.log(`[realpods] fixture build: ${JSON.stringify(fx?.timings)}; pod timings (ms): ${JSON.stringify(times)}`);
    if (fx) fs.rmSync(fx.work, { recursive: true, force: true });
    k(['delete', 'namespace', NS, '--wait=false'], { allowFail: true });
  });

  it('builds an image whose numeric USER is the chart pod\'s runAsUser', () => {
    const values = parse(fs.readFileSync(path.join(fx.chart, 'values.yaml'), 'utf8'));
    const uid = values.podSecurityContext?.runAsUser ?? values.containerSecurityContext?.runAsUser;
    const gid = values.podSecurityContext?.runAsGroup ?? values.containerSecurityContext?.runAsGroup;
    expect(fx.imageUser).toBe(`${uid}:${gid}`);
    expect(fs.readFileSync(fx.dockerfile, 'utf8')).toMatch(/^FROM scratch AS production$/m);
  });

  it('helm install --wait: the pod is Ready in a restricted namespace', async () => {
    const t = Date.now();
    await runOk('helm3', ['install', RELEASE, fx.chart, ...kc(), '--wait', '--timeout', '120s', ...fixtureImageValues(fx)]);
    times['helm install --wait'] = Date.now() - t;
    pod = k(['-n', NS, 'get', 'pod', '-l', `app.kubernetes.io/instance=${RELEASE}`, '-o', 'jsonpath={.items[0].metadata.name}']).stdout;
    const p = podJson();
    expect(ready(p)).toBe('True');
    const started = Date.parse(p.status.startTime);
    const readyAt = Date.parse(p.status.conditions.find((c: { type: string }) => c.type === 'Ready').lastTransitionTime);
    times['pod start -> Ready (status)'] = readyAt - started;
    // The startup probe is gRPC (grpc.health.v1 on the fixture): Ready means kubelet's gRPC check passed.
    expect(p.spec.containers[0].startupProbe.grpc).toEqual({ port: 9090, service: '' });
    expect(p.spec.securityContext.runAsUser).toBe(10001);
    expect(execIn('get', 'http://127.0.0.1:8080/whoami')).toMatch(/uid=10001 gid=10001/);
  });

  it('the app reads its env (ConfigMap) and mounted config files, and writes its writable path', () => {
    const out = execIn('get', 'http://127.0.0.1:8080/config');
    const config = JSON.parse(out.slice(out.indexOf('{')));
    expect(config.env.GREETING).toBe('hello from the ConfigMap');
    expect(config.files['fixture.conf']).toBe('mode = e2e\n');
    // The fixture exits at start unless FIXTURE_WRITABLE_DIR (/var/lib/fixture, an emptyDir) is writable.
    expect(restarts()).toBe(0);
  });

  it('readiness: switching the app\'s readiness off flips Ready to False, and back', async () => {
    let t = Date.now();
    execIn('control', 'ready', 'off');
    await until('Ready=False', 30_000, () => ready() === 'False');
    times['readiness off -> Ready False'] = Date.now() - t;
    // The Service's endpoint controller follows: the pod moves to notReadyAddresses.
    const ip = podJson().status.podIP;
    await until('endpoint not ready', 30_000, () => {
      const ep = JSON.parse(k(['-n', NS, 'get', 'endpoints', `${RELEASE}-fixture`, '-o', 'json']).stdout);
      const ips = (key: string) => (ep.subsets ?? []).flatMap((s: any) => s[key] ?? []).map((a: any) => a.ip);
      return ips('notReadyAddresses').includes(ip) && !ips('addresses').includes(ip);
    });
    t = Date.now();
    execIn('control', 'ready', 'on');
    await until('Ready=True', 30_000, () => ready() === 'True');
    times['readiness on -> Ready True'] = Date.now() - t;
  });

  it('liveness: a failing /healthz makes kubelet restart the container', async () => {
    const before = restarts();
    const t = Date.now();
    execIn('control', 'live', 'off');
    await until('a restart', 60_000, () => restarts() > before);
    times['liveness off -> restart'] = Date.now() - t;
    await until('Ready again', 60_000, () => ready() === 'True');
    // kubelet's events are posted asynchronously.
    await until('the Unhealthy event', 30_000, () =>
      /Liveness probe failed/.test(k(['-n', NS, 'get', 'events', `--field-selector=involvedObject.name=${pod}`, '-o', 'json']).stdout));
  });

  it('helm upgrade with a changed config value rolls a new pod that sees the new value', async () => {
    const old = new Set(livePods().map((p) => p.metadata.name));
    const t = Date.now();
    await runOk('helm3', ['upgrade', RELEASE, fx.chart, ...kc(), '--wait', '--timeout', '120s', ...fixtureImageValues(fx),
      '--set-string', 'config.env.GREETING=changed by helm upgrade']);
    times['helm upgrade --wait (config change)'] = Date.now() - t;
    const fresh = await until('only new, Ready pods', 60_000, () => {
      const pods = livePods();
      return pods.length > 0 && pods.every((p) => !old.has(p.metadata.name) && ready(p) === 'True') && pods;
    });
    pod = fresh[0].metadata.name;
    const out = execIn('get', 'http://127.0.0.1:8080/config');
    expect(JSON.parse(out.slice(out.indexOf('{'))).env.GREETING).toBe('changed by helm upgrade');
  });

  it('startup: until the gRPC startup probe passes, kubelet runs neither liveness nor readiness, and the pod is not Ready', async () => {
    const old = new Set(livePods().map((p) => p.metadata.name));
    // The fixture answers NOT_SERVING (and /readyz 503) for its first 6 s.
    await runOk('helm3', ['upgrade', RELEASE, fx.chart, ...kc(), ...fixtureImageValues(fx), '--reuse-values',
      '--set-string', 'config.env.FIXTURE_START_DELAY=6s']);
    const starting = await until('a new pod running, not yet started', 60_000, () => livePods().find((p) =>
      !old.has(p.metadata.name) && p.status.containerStatuses?.[0]?.state?.running && p.status.containerStatuses[0].started === false));
    pod = starting.metadata.name;
    const metrics = execIn('get', 'http://127.0.0.1:8080/metrics');
    const startedYet = podJson().status.containerStatuses[0].started;
    if (!startedYet) {
      expect(metrics, 'liveness or readiness probed before the startup probe passed').not.toMatch(/path="\/(healthz|readyz)"/);
      expect(ready()).toBe('False');
    }
    await until('started and Ready', 60_000, () => ready() === 'True');
    const p = podJson();
    const runningAt = Date.parse(p.status.containerStatuses[0].state.running.startedAt);
    const readyAt = Date.parse(p.status.conditions.find((c: { type: string }) => c.type === 'Ready').lastTransitionTime);
    times['container start -> Ready with a 6 s start delay'] = readyAt - runningAt;
    expect(readyAt - runningAt).toBeGreaterThanOrEqual(5000);
    expect(startedYet, 'the pod had already started when its metrics were read (machine too slow to observe the gate)').toBe(false);
    expect(execIn('get', 'http://127.0.0.1:8080/metrics')).toMatch(/path="\/readyz"/);
    expect(restarts(p)).toBe(0);
  });
});
