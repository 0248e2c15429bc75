/**
 * The plain manifests of every example in dist/ on a real API server: CRDs first, then per example
 * a namespace enforcing Pod Security "restricted" (or the level a named security exception needs),
 * server-side apply with strict field validation (dry-run, then real), and every workload rolled
 * out. A workload with a security exception is also shown to be refused by "restricted".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverExamples, podTemplates, type K8sObject } from './support/examples';
import { cluster, kube, nsName, podsBecomeReady } from './support/env';

const examples = discoverExamples();
const FIELD_MANAGER = 'slipway-e2e';
const ssa = (ns: string, dryRun: boolean) => ['apply', '-n', ns, '--server-side', `--field-manager=${FIELD_MANAGER}`,
  '--validate=strict', ...(dryRun ? ['--dry-run=server'] : []), '-f', '-'];
const list = (items: K8sObject[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
/** kubectl prints API warnings (deprecations, "would violate PodSecurity", unknown fields) on stderr. */
const warnings = (stderr: string) => stderr.split('\n').filter((l) => /warning/i.test(l));

describe(`plain manifests on ${cluster.local ? 'the local control plane' : 'an external cluster'}`, () => {
  const namespaces: string[] = [];
  afterAll(async () => {
    if (process.env.SLIPWAY_KEEP_NAMESPACES !== '1') await Promise.all(namespaces.map((n) => kube.deleteNamespace(n)));
  });

  it('finds the examples in dist/', () => {
    expect(examples.map((e) => e.fullname), 'no dist/<fullname>/manifests/<fullname>.k8s.yaml: run `npx cdk8s synth`').not.toEqual([]);
  });

  it('installs the CRDs (ExternalSecret, ServiceMonitor, HTTPRoute, Application, ApplicationSet) and they become Established', async () => {
    const names = await kube.installCrds();
    expect(names).toEqual(expect.arrayContaining([
      'externalsecrets.external-secrets.io', 'servicemonitors.monitoring.coreos.com', 'httproutes.gateway.networking.k8s.io',
      'applications.argoproj.io', 'applicationsets.argoproj.io',
    ]));
  });

  for (const ex of examples) {
    describe(ex.fullname, () => {
      const ns = nsName(ex.fullname, 'm');
      beforeAll(() => { namespaces.push(ns); });
      /** Later steps need the real apply; without it they fail at once instead of timing out. */
      let applied = false;
      const needApplied = () => { if (!applied) throw new Error('the server-side apply of the manifests failed (see above)'); };

      it(`${ex.fullname} › namespace enforcing PSS ${ex.podSecurity}, placeholder Secrets for referenced ones`, async () => {
        await kube.createNamespace(ns, ex.podSecurity);
        const created = await kube.createPlaceholders(ns, ex.objects);
        console.log(`${ex.fullname}: namespace ${ns} (enforce=${ex.podSecurity}); placeholders: ${created.join(', ') || 'none'}`);
        if (ex.podSecurity !== 'restricted') {
          // Only a named exception may lower the level.
          expect(ex.exceptions.map((e) => e.name)).not.toEqual([]);
        }
      });

      it(`${ex.fullname} › server-side apply --dry-run=server with fieldValidation=Strict`, async () => {
        const r = await kube.kubectl(ssa(ns, true), list(ex.objects));
        expect(r.code, r.stderr).toBe(0);
        expect(warnings(r.stderr), r.stderr).toEqual([]);
        const lines = r.stdout.trim().split('\n').filter((l) => l.includes('serverside-applied (server dry run)'));
        expect(lines, r.stdout).toHaveLength(ex.objects.length);
      });

      it(`${ex.fullname} › server-side apply (real) with fieldValidation=Strict`, async () => {
        const r = await kube.kubectl(ssa(ns, false), list(ex.objects));
        expect(r.code, r.stderr).toBe(0);
        expect(warnings(r.stderr), r.stderr).toEqual([]);
        expect(r.stdout.trim().split('\n').filter((l) => l.includes('serverside-applied')), r.stdout).toHaveLength(ex.objects.length);
        applied = true;
      });

      it.skipIf(!podsBecomeReady)(`${ex.fullname} › workloads roll out (pods Ready on kwok nodes)`, async () => {
        const cronJobs = ex.objects.filter((o) => o.kind === 'CronJob');
        expect(ex.workloads.length + cronJobs.length, 'no Deployment/DaemonSet/StatefulSet/CronJob in the manifests').toBeGreaterThan(0);
        needApplied();
        await kube.waitRolledOut(ns, ex.workloads);
        // A CronJob's schedule is hours away: run it once now, as `kubectl create job --from` does.
        const manual = cronJobs.map((c) => ({ kind: 'Job', metadata: { name: `${c.metadata.name}-now` } }));
        for (const [i, c] of cronJobs.entries()) await kube.kubectlOk(['create', 'job', '-n', ns, manual[i].metadata.name, `--from=cronjob/${c.metadata.name}`]);
        for (const job of [...ex.objects.filter((o) => o.kind === 'Job'), ...manual]) {
          const r = await kube.kubectl(['wait', '-n', ns, '--for=condition=Complete', `job/${job.metadata.name}`, '--timeout=120s']);
          expect(r.code, `${r.stderr}\n${await kube.describe(ns)}`).toBe(0);
        }
      });

      it(`${ex.fullname} › its pods were admitted under PSS ${ex.podSecurity}`, async () => {
        // The controllers created the pods (a Pod Security rejection would leave FailedCreate events instead).
        needApplied();
        // A CronJob's pods: those of the run started by the rollout step, selected by its job-name.
        const runs = ex.objects.filter((o) => o.kind === 'CronJob').map((c) => ({ kind: 'Job', metadata: { name: `${c.metadata.name}-now` }, spec: { selector: { matchLabels: { 'job-name': `${c.metadata.name}-now` } } } }));
        for (const w of [...ex.workloads, ...runs]) {
          const selector = Object.entries(w.spec.selector.matchLabels as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
          await expectEventually(async () => {
            const pods = await kube.getJson<{ items: unknown[] }>(['pods', '-n', ns, '-l', selector]);
            return pods.items.length > 0;
          }, `pods of ${w.kind}/${w.metadata.name}`, ns);
        }
      });

      if (ex.exceptions.length) {
        const restricted = nsName(ex.fullname, 'r');
        it(`${ex.fullname} › a restricted namespace refuses its pods (exceptions: ${ex.exceptions.map((e) => e.name).join(', ')})`, async () => {
          namespaces.push(restricted);
          await kube.createNamespace(restricted, 'restricted');
          // The ServiceAccount admission plugin runs first: give the pods their account and Secrets.
          await kube.kubectlOk(ssa(restricted, false), list(ex.objects.filter((o) => o.kind === 'ServiceAccount')));
          await kube.createPlaceholders(restricted, ex.objects);
          for (const { owner, template } of podTemplates(ex.workloads)) {
            const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${owner.metadata.name}-pss-probe`, labels: template.metadata?.labels, annotations: template.metadata?.annotations }, spec: template.spec };
            const r = await kube.kubectl(ssa(restricted, true), JSON.stringify(pod));
            expect(r.code, `a pod of ${owner.kind}/${owner.metadata.name} was admitted by PSS restricted`).not.toBe(0);
            expect(r.stderr).toContain('violates PodSecurity "restricted:latest"');
            // The workload itself is admitted, with the warning its pods would be refused.
            const w = await kube.kubectl(ssa(restricted, true), list([owner]));
            expect(w.stderr).toContain('would violate PodSecurity "restricted:latest"');
          }
        });
      }
    });
  }
});

async function expectEventually(check: () => Promise<boolean>, what: string, ns: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`no ${what} after ${timeoutMs} ms\n${await kube.describe(ns)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
