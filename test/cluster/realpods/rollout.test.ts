/**
 * Rollouts of the fixture's Slipway chart on a real kubelet, with helm 3 and helm 4: the
 * migration hook Job (real container, `fixture sleep 2s`) completes before each new ReplicaSet is
 * scaled up; a config change through `helm upgrade` changes the pod template's checksum annotation
 * and replaces every pod, and `helm rollback` restores the old checksum and value; and while both
 * roll, a request loop run inside the node's network namespace against the Service's ClusterIP
 * (a fresh connection every 50 ms) sees no failed request.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOk } from '../support/run';
import { useRealNode } from '../realnode/use';
import { readPlan } from '../realnode/node';
import { buildFixture, buildTestImage, fixtureImageValues, testImageUnavailable, type Fixture } from './fixture-image';
import { cluster, k, realNamespace, realNode, skipReason, until } from './support';

const RELEASE = 'fx';
const HELMS = ['helm3', 'helm4'] as const;
const GREETING = 'hello from the ConfigMap';
/** Why `helm test` cannot run here: it needs cluster DNS (the Pod connects to the Service by name) and its image. */
const helmTestSkip = skipReason ? undefined : testImageUnavailable()
  ?? (realNode.planDir && !readPlan(realNode.planDir).dnsToken ? 'CoreDNS not built (scripts/bootstrap-tools.sh coredns): Service names do not resolve on the local node' : undefined);
if (helmTestSkip) console.warn(`SKIPPED real-pod helm test: ${helmTestSkip}`);

/** Runs `fixture loop` inside the node's network namespace until stopped; resolves with its output. */
function requestLoop(netns: string, binary: string, url: string, logFile: string) {
  const child = spawn('nsenter', [`--net=/run/netns/${netns}`, '--', binary, 'loop', url, '240s', '50ms'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const done = new Promise<{ code: number | null; out: string }>((resolve) => child.on('close', (code) => {
    fs.writeFileSync(logFile, out);
    resolve({ code, out });
  }));
  return { stop: () => { child.kill('SIGTERM'); return done; }, done, pid: child.pid };
}

describe.skipIf(!!skipReason)('real pods: migration hook, upgrade, rollback and zero downtime (helm 3, helm 4)', () => {
  const local = useRealNode();
  let fx: Fixture;
  let testImage: string | undefined;
  const times: Record<string, number> = {};

  beforeAll(async () => {
    fx = await buildFixture(local.node?.containerdSocket);
    if (!helmTestSkip) testImage = await buildTestImage(fx, local.node?.containerdSocket);
  }, 240_000);

  afterAll(() => {
    console.log(`[realpods] rollout timings (ms): ${JSON.stringify(times)}`);
    if (fx) fs.rmSync(fx.work, { recursive: true, force: true });
    for (const helm of HELMS) k(['delete', 'namespace', `realpods-rollout-${helm}`, '--wait=false'], { allowFail: true });
  });

  describe.each(HELMS)('%s', (helm) => {
    const ns = `realpods-rollout-${helm}`;
    const kc = () => [`--kubeconfig=${cluster.kubeconfig}`, '-n', ns];
    const json = (...args: string[]) => JSON.parse(k(['-n', ns, 'get', ...args, '-o', 'json']).stdout);
    const livePods = (): any[] => json('pods', '-l', `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/component=server`)
      .items.filter((p: any) => !p.metadata.deletionTimestamp && !p.metadata.ownerReferences?.some((o: any) => o.kind === 'Job'));
    const ready = (p: any) => p.status.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';
    const deployment = () => json('deployment', `${RELEASE}-fixture`);
    const checksum = () => deployment().spec.template.metadata.annotations['checksum/config'];
    const greeting = (pod: string) => {
      const out = k(['-n', ns, 'exec', pod, '-c', 'fixture', '--', '/usr/local/bin/fixture', 'get', 'http://127.0.0.1:8080/config']).stdout;
      return JSON.parse(out.slice(out.indexOf('{'))).env.GREETING;
    };
    /** The ReplicaSet the Deployment currently rolls to (highest revision). */
    const newestRs = () => json('replicasets', '-l', `app.kubernetes.io/instance=${RELEASE}`).items
      .reduce((a: any, b: any) => (Number(a.metadata.annotations['deployment.kubernetes.io/revision']) > Number(b.metadata.annotations['deployment.kubernetes.io/revision']) ? a : b));

    /**
     * The hook Job's pod ran (SuccessfulCreate → Completed, at least 1 s apart: it sleeps 2 s) and
     * its Completed event precedes the first "Scaled up replica set <rs>" by resourceVersion and time.
     */
    const expectHookBefore = (rs: string) => {
      const events: any[] = json('events').items;
      const rv = (e: any) => Number(e.metadata.resourceVersion);
      const time = (e: any) => Date.parse(e.lastTimestamp ?? e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp);
      const scaled = events.filter((e) => e.involvedObject?.kind === 'Deployment' && e.reason === 'ScalingReplicaSet' && String(e.message).includes(`replica set ${rs} `));
      expect(scaled.length, `no ScalingReplicaSet event for ${rs}`).toBeGreaterThan(0);
      const firstScale = scaled.reduce((a, b) => (rv(a) < rv(b) ? a : b));
      const completed = events.filter((e) => e.involvedObject?.kind === 'Job' && e.involvedObject.name === `${RELEASE}-fixture-migrate` && e.reason === 'Completed' && rv(e) < rv(firstScale));
      expect(completed.length, `the migration Job had not completed when ${rs} was scaled up`).toBeGreaterThan(0);
      const last = completed.reduce((a, b) => (rv(a) > rv(b) ? a : b));
      expect(time(last)).toBeLessThanOrEqual(time(firstScale));
      const created = events.find((e) => e.involvedObject?.uid === last.involvedObject.uid && e.reason === 'SuccessfulCreate');
      expect(created, 'the migration Job\'s SuccessfulCreate event').toBeDefined();
      expect(time(last) - time(created)).toBeGreaterThanOrEqual(1000);
      expect(Date.parse(json('replicaset', rs).metadata.creationTimestamp)).toBeGreaterThanOrEqual(time(last));
    };

    let firstChecksum = '';

    it('install --wait: the migration hook Job completed before the first ReplicaSet', async () => {
      realNamespace(ns, 'restricted');
      const t = Date.now();
      await runOk(helm, ['install', RELEASE, fx.chart, ...kc(), '--wait', '--timeout', '120s', ...fixtureImageValues(fx),
        ...(testImage ? ['--set', `tests.image=${testImage}`] : [])]);
      times[`${helm} install --wait`] = Date.now() - t;
      expect(livePods().every(ready)).toBe(true);
      expectHookBefore(newestRs().metadata.name);
      firstChecksum = checksum();
    });

    it.skipIf(!!helmTestSkip)('helm test: the test Pod reaches the Service by name (cluster DNS) and passes', async () => {
      expect(firstChecksum, 'install failed').not.toBe('');
      const t = Date.now();
      const r = await runOk(helm, ['test', RELEASE, ...kc(), '--timeout', '180s']);
      times[`${helm} test`] = Date.now() - t;
      expect(r.stdout).toMatch(/Phase:\s+Succeeded/);
      // The same name from an app pod (its Go resolver reads the resolv.conf kubelet wrote).
      const pod = livePods()[0].metadata.name;
      expect(k(['-n', ns, 'exec', pod, '-c', 'fixture', '--', '/usr/local/bin/fixture', 'get', `http://${RELEASE}-fixture.${ns}.svc.cluster.local:8080/`, '5']).stdout)
        .toMatch(/: 200 fixture/);
      // hook-succeeded: the test Pod is gone once it passed.
      await until('test Pod deleted', 30_000, () => k(['-n', ns, 'get', 'pod', `${RELEASE}-fixture-test-connection`], { allowFail: true }).code !== 0);
    });

    it('upgrade (config change) and rollback roll every pod, hook first, with no failed request', async () => {
      expect(firstChecksum, 'install failed').not.toBe('');
      const svc = json('service', `${RELEASE}-fixture`);
      const url = `http://${svc.spec.clusterIP}:${svc.spec.ports.find((p: any) => p.name === 'http').port}/`;
      const loop = local.node ? requestLoop(local.node.netns, fx.binary, url, path.join(fx.work, `loop-${helm}.log`)) : undefined;
      try {
        // The loop must be getting answers before the rollout starts.
        if (loop) await new Promise((r) => setTimeout(r, 1500));
        const before = new Set(livePods().map((p) => p.metadata.name));
        let t = Date.now();
        await runOk(helm, ['upgrade', RELEASE, fx.chart, ...kc(), '--wait', '--timeout', '120s', ...fixtureImageValues(fx),
          '--set-string', 'config.env.GREETING=changed by helm upgrade']);
        const upgraded = await until('only new, Ready pods', 60_000, () => {
          const pods = livePods();
          return pods.length > 0 && pods.every((p) => !before.has(p.metadata.name) && ready(p)) && pods;
        });
        times[`${helm} upgrade --wait + old pods gone`] = Date.now() - t;
        expect(checksum()).not.toBe(firstChecksum);
        expect(greeting(upgraded[0].metadata.name)).toBe('changed by helm upgrade');
        expectHookBefore(newestRs().metadata.name);

        t = Date.now();
        const mid = new Set(upgraded.map((p: any) => p.metadata.name));
        await runOk(helm, ['rollback', RELEASE, '1', ...kc(), '--wait', '--timeout', '120s']);
        const rolledBack = await until('only new, Ready pods after rollback', 60_000, () => {
          const pods = livePods();
          return pods.length > 0 && pods.every((p) => !mid.has(p.metadata.name) && ready(p)) && pods;
        });
        times[`${helm} rollback --wait + old pods gone`] = Date.now() - t;
        expect(checksum()).toBe(firstChecksum);
        expect(greeting(rolledBack[0].metadata.name)).toBe(GREETING);
      } finally {
        if (loop) {
          // Old pods drain for 2 s after SIGTERM; keep asking through the end of their termination.
          await new Promise((r) => setTimeout(r, 3000));
          const { out } = await loop.stop();
          const summary = /requests=(\d+) failed=(\d+)/.exec(out);
          times[`${helm} requests during upgrade + rollback`] = Number(summary?.[1] ?? -1);
          expect(summary, `request loop output:\n${out}`).not.toBeNull();
          expect(Number(summary![1])).toBeGreaterThan(100);
          expect(out, 'failed requests while rolling').toMatch(/failed=0\n/);
        }
      }
    });
  });
});
