/**
 * The chart of every example in dist/ through a release's life, with helm 3 AND helm 4 (separate
 * namespaces, release name = the service's instance so the objects are the manifests' objects):
 * install --wait, `helm test` (its hooks admitted, succeeded and removed; on the local control plane
 * the kwok stage in kwok-helm-test-stage.yaml completes the test Pods, whose containers do not
 * run), the migration hook Job (if any) before the rollout, an upgrade with a changed
 * config value that rolls the pods, an upgrade the values schema rejects, an upgrade that fails
 * its --wait and is rolled back, and an uninstall that leaves nothing labelled with the instance.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retainedClaims } from './support/volumes';
import { chartDirOf, discoverExamples, identities, parseObjects, type Example, type K8sObject } from './support/examples';
import { cluster, kube, nsName, podsBecomeReady } from './support/env';
import { explain, run } from './support/run';
import { configChange } from './support/config-change';

const examples = discoverExamples();
const HELMS = ['helm3', 'helm4'] as const;
type Helm = typeof HELMS[number];
const TIMEOUT = '120s';
const HOOK = 'helm.sh/hook';
const isHook = (o: K8sObject) => HOOK in (o.metadata.annotations ?? {});
const isPreRolloutHookJob = (o: K8sObject) => o.kind === 'Job' && /pre-(install|upgrade)/.test(o.metadata.annotations?.[HOOK] ?? '');
const sel = (labels: Record<string, string>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');

interface Release { revision: number; status: string }

/** Everything one release's steps share. */
class ReleaseUnderTest {
  readonly ns: string;
  readonly chart: string | undefined;
  /** Objects of `helm template` with default values (hooks included, chart tests excluded). */
  rendered: K8sObject[] = [];
  values: Record<string, unknown> = {};
  /** Last revision known to be good, and its pod templates' checksum/config. */
  good?: { revision: number; checksums: Record<string, string | undefined>; overrides: string[] };

  constructor(readonly ex: Example, readonly helm: Helm) {
    this.ns = nsName(ex.fullname, helm === 'helm3' ? 'h3' : 'h4');
    this.chart = chartDirOf(ex);
  }

  get hookJobs(): K8sObject[] { return this.rendered.filter(isPreRolloutHookJob); }
  get workloads(): K8sObject[] { return this.ex.workloads; }

  /** Set once `helm install` succeeded: later steps fail at once without it. */
  installed = false;
  needInstalled(): void {
    if (!this.installed) throw new Error(`${this.helm} install of ${this.ex.fullname} failed (see above)`);
  }

  chartOrFail(): string {
    if (!this.chart) throw new Error(`no chart in dist/${this.ex.fullname}/chart/<name>/ (run \`npx cdk8s synth\`)`);
    return this.chart;
  }

  /** helm install/upgrade flags for waiting: on a cluster where pods cannot become Ready, none. */
  waitFlags(timeout = TIMEOUT): string[] {
    if (podsBecomeReady) return ['--wait', '--timeout', timeout];
    // Hooks would wait for a Job whose image does not exist: leave them out there.
    return this.hookJobs.length ? ['--no-hooks'] : [];
  }

  run(args: string[], timeoutMs = 240_000) {
    return kube.helm(this.helm, [...args, '--namespace', this.ns], timeoutMs);
  }

  async status(): Promise<Release> {
    const r = await this.run(['status', this.ex.instance, '-o', 'json']);
    if (r.code !== 0) throw new Error(explain(this.helm, ['status', this.ex.instance], r));
    const s = JSON.parse(r.stdout);
    return { revision: s.version, status: s.info?.status };
  }

  /** checksum/config on each workload's pod template, live. */
  async checksums(): Promise<Record<string, string | undefined>> {
    const out: Record<string, string | undefined> = {};
    for (const w of this.workloads) {
      const live = await kube.getJson([w.kind.toLowerCase(), w.metadata.name, '-n', this.ns]);
      out[`${w.kind}/${w.metadata.name}`] = live.spec.template.metadata?.annotations?.['checksum/config'];
    }
    return out;
  }

  /** Names of the ReplicaSets (Deployments) / ControllerRevisions (DaemonSets, StatefulSets) of a workload. */
  async revisionsOf(w: K8sObject): Promise<string[]> {
    const kind = w.kind === 'Deployment' ? 'replicasets' : 'controllerrevisions';
    const r = await kube.getJson<{ items: K8sObject[] }>([kind, '-n', this.ns, '-l', sel(w.spec.selector.matchLabels)]);
    return r.items.filter((i) => (i.metadata as { ownerReferences?: { name: string }[] }).ownerReferences?.some((o) => o.name === w.metadata.name))
      .map((i) => i.metadata.name).sort();
  }

  /**
   * Proves the hook Job ran to completion before the Deployment rolled out `rs`: the Job's
   * "Completed" event precedes the "Scaled up replica set <rs>" event, by time (seconds) and by
   * resourceVersion (etcd's revision counter orders writes; the Job itself is gone, deleted by
   * its hook-succeeded policy, but its events stay).
   */
  async expectHookBefore(rs: Record<string, string[]>): Promise<void> {
    const events = (await kube.getJson<{ items: K8sObject[] }>(['events', '-n', this.ns])).items;
    const rv = (e: K8sObject) => Number(e.metadata.resourceVersion);
    const time = (e: K8sObject) => Date.parse(e.firstTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp);
    for (const job of this.hookJobs) {
      const completed = events.filter((e) => e.involvedObject?.kind === 'Job' && e.involvedObject?.name === job.metadata.name && e.reason === 'Completed');
      expect(completed.length, `no "Completed" event for hook Job ${job.metadata.name}\n${await kube.describe(this.ns)}`).toBeGreaterThan(0);
      for (const w of this.workloads.filter((x) => x.kind === 'Deployment')) {
        for (const name of rs[w.metadata.name] ?? []) {
          const scaled = events.filter((e) => e.involvedObject?.kind === 'Deployment' && e.involvedObject?.name === w.metadata.name &&
            e.reason === 'ScalingReplicaSet' && String(e.message).includes(`replica set ${name} `));
          expect(scaled.length, `no ScalingReplicaSet event for ${name}`).toBeGreaterThan(0);
          const firstScale = scaled.reduce((a, b) => (rv(a) < rv(b) ? a : b));
          // The latest completion that precedes this rollout.
          const before = completed.filter((c) => rv(c) < rv(firstScale));
          expect(before.length, `hook Job ${job.metadata.name} had not completed when ReplicaSet ${name} was scaled up\n` +
            `completed events: ${completed.map((c) => `${c.metadata.resourceVersion}@${c.firstTimestamp}`).join(', ')}; ` +
            `first scale-up: ${firstScale.metadata.resourceVersion}@${firstScale.firstTimestamp}`).toBeGreaterThan(0);
          const last = before.reduce((a, b) => (rv(a) > rv(b) ? a : b));
          expect(time(last)).toBeLessThanOrEqual(time(firstScale));
        }
      }
    }
  }
}

/**
 * A values override that makes the workload's new pods unschedulable, so an upgrade's --wait times
 * out. A required node affinity on a label no node has is preferred: it leaves the migration hook
 * Job (which does not take `affinity`) able to run, so the upgrade fails in the rollout itself.
 * DaemonSets would just target no node with it, so they get an impossible CPU request instead.
 */
function unschedulable(values: Record<string, unknown>, workloads: K8sObject[]): string[] | undefined {
  // A CronJob has no pods until its schedule: nothing for --wait to fail on.
  if (!workloads.length) return undefined;
  if ('affinity' in values && workloads.every((w) => w.kind === 'Deployment')) {
    const term = { matchExpressions: [{ key: 'slipway.dev/e2e', operator: 'In', values: ['no-such-node'] }] };
    return ['--set-json', `affinity=${JSON.stringify({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [term] } } })}`];
  }
  if (values.resources && typeof values.resources === 'object') return ['--set-string', 'resources.requests.cpu=4000'];
  return undefined;
}

describe(`helm charts on ${cluster.local ? 'the local control plane' : 'an external cluster'}`, () => {
  const releases = examples.flatMap((ex) => HELMS.map((h) => new ReleaseUnderTest(ex, h)));
  beforeAll(async () => { await kube.installCrds(); });
  afterAll(async () => {
    if (process.env.SLIPWAY_KEEP_NAMESPACES !== '1') await Promise.all(releases.map((r) => kube.deleteNamespace(r.ns)));
  });

  it('finds the examples in dist/', () => {
    expect(examples.map((e) => e.fullname), 'no dist/<fullname>/manifests/<fullname>.k8s.yaml: run `npx cdk8s synth`').not.toEqual([]);
  });

  for (const rel of releases) {
    const { ex, helm } = rel;
    const name = ex.fullname;
    // Releases run side by side (each in its own namespace); the steps of one release run in order.
    describe.concurrent(name, () => { describe.sequential(`${helm} release`, () => {
      beforeAll(async () => {
        if (!rel.chart) return;
        rel.values = parseYaml(fs.readFileSync(path.join(rel.chart, 'values.yaml'), 'utf8')) ?? {};
        const r = await run(helm, ['template', ex.instance, rel.chart, '--skip-tests', '--kube-version', '1.28.0']);
        if (r.code === 0) rel.rendered = parseObjects(r.stdout);
      });

      it(`${name} › ${helm} install${podsBecomeReady ? ' --wait' : ''}`, async () => {
        const chart = rel.chartOrFail();
        await kube.createNamespace(rel.ns, ex.podSecurity);
        await kube.createPlaceholders(rel.ns, ex.objects);
        const args = ['install', ex.instance, chart, ...rel.waitFlags()];
        const r = await rel.run(args);
        expect(r.code, `${explain(helm, args, r)}\n${await kube.describe(rel.ns)}`).toBe(0);
        expect(r.stderr.split('\n').filter((l) => /warning/i.test(l)), r.stderr).toEqual([]);
        expect(await rel.status()).toEqual({ revision: 1, status: 'deployed' });
        if (podsBecomeReady) await kube.waitRolledOut(rel.ns, rel.workloads);
        rel.good = { revision: 1, checksums: await rel.checksums(), overrides: [] };
        rel.installed = true;
      });

      it(`${name} › ${helm} release objects are the plain manifests' objects`, async () => {
        rel.needInstalled();
        const r = await rel.run(['get', 'manifest', ex.instance]);
        expect(r.code, r.stderr).toBe(0);
        expect(identities(parseObjects(r.stdout))).toEqual(identities(ex.objects.filter((o) => !isHook(o))));
        // And they are live in the namespace.
        for (const o of ex.objects.filter((x) => !isHook(x))) {
          const type = o.apiVersion.includes('/') ? `${o.kind}.${o.apiVersion.split('/')[0]}` : o.kind;
          const g = await kube.kubectl(['get', '-n', rel.ns, type, o.metadata.name, '-o', 'name']);
          expect(g.code, `${o.kind}/${o.metadata.name}: ${g.stderr}`).toBe(0);
        }
      });

      it.skipIf(!podsBecomeReady)(`${name} › ${helm} test: the chart's test hooks are admitted, succeed and are removed`, async (ctx) => {
        const tests = rel.chart ? path.join(rel.chart, 'templates', 'tests') : undefined;
        if (!tests || !fs.existsSync(tests)) { console.log(`${name}: chart has no tests`); ctx.skip(); return; }
        rel.needInstalled();
        // The test hooks helm should run: those `helm template` prints beyond --skip-tests.
        const all = await run(helm, ['template', ex.instance, rel.chartOrFail(), '--kube-version', '1.28.0']);
        expect(all.code, all.stderr).toBe(0);
        const testHooks = parseObjects(all.stdout).filter((o) => o.metadata.annotations?.[HOOK] === 'test');
        const testPods = testHooks.filter((o) => o.kind === 'Pod').map((o) => o.metadata.name);
        expect(testPods.length, 'templates/tests/ renders no test Pod').toBeGreaterThan(0);

        const args = ['test', ex.instance, '--timeout', TIMEOUT];
        const r = await rel.run(args);
        expect(r.code, `${explain(helm, args, r)}\n${await kube.describe(rel.ns)}`).toBe(0);
        // helm reports each test Pod by name with its final phase.
        for (const pod of testPods) expect(r.stdout, r.stdout).toMatch(new RegExp(`TEST SUITE:\\s+${pod.replace(/\./g, '\\.')}\\n(?:.*\\n)*?Phase:\\s+Succeeded`));
        // hook-succeeded: the test Pod and its NetworkPolicy are gone afterwards; the release is untouched.
        await kube.waitNothingLeft(rel.ns, `app.kubernetes.io/instance=${ex.instance},app.kubernetes.io/component=test`);
        expect(await rel.status()).toEqual({ revision: 1, status: 'deployed' });
      });

      it.skipIf(!podsBecomeReady)(`${name} › ${helm} pre-install migration hook Job completed before the first rollout`, async (ctx) => {
        if (!rel.hookJobs.length) ctx.skip();
        rel.needInstalled();
        const rs: Record<string, string[]> = {};
        for (const w of rel.workloads) rs[w.metadata.name] = await rel.revisionsOf(w);
        await rel.expectHookBefore(rs);
      });

      it(`${name} › ${helm} upgrade with a changed config value rolls the pods (checksum/config, new ReplicaSet)`, async (ctx) => {
        const change = configChange(rel.values);
        if (!change) { console.log(`${name}: chart has no config.env value to change`); ctx.skip(); return; }
        rel.needInstalled();
        const before: Record<string, string[]> = {};
        for (const w of rel.workloads) before[w.metadata.name] = await rel.revisionsOf(w);
        const overrides = ['--set-string', `config.env.${change.key}=${change.to}`];
        const args = ['upgrade', ex.instance, rel.chartOrFail(), ...overrides, ...rel.waitFlags()];
        const r = await rel.run(args);
        expect(r.code, `${explain(helm, args, r)}\n${await kube.describe(rel.ns)}`).toBe(0);
        expect(await rel.status()).toEqual({ revision: 2, status: 'deployed' });

        // The ConfigMap holds the new value and every pod template's checksum changed ...
        const cms = ex.objects.filter((o) => o.kind === 'ConfigMap' && !isHook(o) && o.data && change.key in o.data);
        expect(cms.length, `no ConfigMap holds ${change.key}`).toBeGreaterThan(0);
        for (const cm of cms) {
          const live = await kube.getJson(['configmap', cm.metadata.name, '-n', rel.ns]);
          expect(live.data[change.key]).toBe(change.to);
        }
        const checksums = await rel.checksums();
        for (const [w, sum] of Object.entries(checksums)) {
          expect(sum, `${w} has no checksum/config annotation`).toBeTruthy();
          expect(sum, `${w}: checksum/config did not change`).not.toBe(rel.good!.checksums[w]);
        }
        // ... so each workload got a new ReplicaSet / ControllerRevision and rolled out.
        const created: Record<string, string[]> = {};
        for (const w of rel.workloads) {
          const after = await rel.revisionsOf(w);
          created[w.metadata.name] = after.filter((x) => !before[w.metadata.name].includes(x));
          expect(created[w.metadata.name], `${w.kind}/${w.metadata.name}: no new ${w.kind === 'Deployment' ? 'ReplicaSet' : 'ControllerRevision'}`).toHaveLength(1);
        }
        if (podsBecomeReady) {
          await kube.waitRolledOut(rel.ns, rel.workloads);
          if (rel.hookJobs.length) await rel.expectHookBefore(created);
        }
        rel.good = { revision: 2, checksums, overrides };
      });

      it(`${name} › ${helm} upgrade with image.pullPolicy=Bogus is rejected by values.schema.json and changes nothing`, async () => {
        rel.needInstalled();
        const before = await rel.status();
        const args = ['upgrade', ex.instance, rel.chartOrFail(), ...(rel.good?.overrides ?? []), '--set', 'image.pullPolicy=Bogus'];
        const r = await rel.run(args);
        expect(r.code, explain(helm, args, r)).not.toBe(0);
        expect(r.stderr).toMatch(/schema/i);
        expect(r.stderr).toContain('pullPolicy');
        expect(await rel.status()).toEqual(before);
      });

      it.skipIf(!podsBecomeReady)(`${name} › ${helm} upgrade failing its --wait (pods unschedulable) is rolled back`, async (ctx) => {
        const breakIt = unschedulable(rel.values, rel.workloads);
        if (!breakIt) { console.log(`${name}: no values key to make the pods unschedulable`); ctx.skip(); return; }
        rel.needInstalled();
        const good = rel.good!;
        expect(good, 'earlier steps did not succeed').toBeDefined();
        const failedRev = (await rel.status()).revision + 1;
        const args = ['upgrade', ex.instance, rel.chartOrFail(), ...good.overrides, ...breakIt, '--wait', '--timeout', '5s'];
        const r = await rel.run(args);
        expect(r.code, `the upgrade should fail: ${explain(helm, args, r)}`).not.toBe(0);
        expect(await rel.status()).toEqual({ revision: failedRev, status: 'failed' });

        const rb = ['rollback', ex.instance, String(good.revision), '--wait', '--timeout', TIMEOUT];
        const back = await rel.run(rb);
        expect(back.code, `${explain(helm, rb, back)}\n${await kube.describe(rel.ns)}`).toBe(0);
        expect(await rel.status()).toEqual({ revision: failedRev + 1, status: 'deployed' });
        expect(await rel.checksums()).toEqual(good.checksums);
        await kube.waitRolledOut(rel.ns, rel.workloads);
        // No pod of the failed revision is left pending.
        for (const w of rel.workloads) {
          const pods = await kube.getJson<{ items: K8sObject[] }>(['pods', '-n', rel.ns, '-l', sel(w.spec.selector.matchLabels)]);
          const pending = pods.items.filter((p) => p.status?.phase === 'Pending' && !p.metadata.deletionTimestamp);
          expect(pending.map((p) => p.metadata.name), await kube.describe(rel.ns)).toEqual([]);
        }
      });

      it(`${name} › ${helm} rollback to revision 1 restores its config`, async () => {
        rel.needInstalled();
        const before = await rel.status();
        const rb = ['rollback', ex.instance, '1', ...(podsBecomeReady ? ['--wait', '--timeout', TIMEOUT] : [])];
        const r = await rel.run(rb);
        expect(r.code, `${explain(helm, rb, r)}\n${await kube.describe(rel.ns)}`).toBe(0);
        expect(await rel.status()).toEqual({ revision: before.revision + 1, status: 'deployed' });
        const change = configChange(rel.values);
        if (change) {
          for (const cm of ex.objects.filter((o) => o.kind === 'ConfigMap' && !isHook(o) && o.data && change.key in o.data)) {
            const live = await kube.getJson(['configmap', cm.metadata.name, '-n', rel.ns]);
            expect(live.data[change.key]).toBe(change.from);
          }
        }
        if (podsBecomeReady) await kube.waitRolledOut(rel.ns, rel.workloads);
      });

      it(`${name} › ${helm} uninstall leaves nothing labelled app.kubernetes.io/instance=${ex.instance}`, async () => {
        const args = ['uninstall', ex.instance, '--wait', '--timeout', TIMEOUT];
        const r = await rel.run(args);
        expect(r.code, explain(helm, args, r)).toBe(0);
        // A StatefulSet's claims outlive it when its retention policy says Retain (the default): exactly those stay.
        await kube.waitNothingLeft(rel.ns, `app.kubernetes.io/instance=${ex.instance}`, undefined, retainedClaims(ex.objects));
        const list = await rel.run(['list', '--all', '-q']);
        expect(list.stdout.trim()).toBe('');
      });
    }); });
  }
});
