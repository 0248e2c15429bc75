/**
 * Every example in dist/ (or SLIPWAY_DIST) runs for real: its chart is installed on the real
 * kubelet with the e2e fixture standing in for its image(s), and its pods reach Ready through the
 * example's own probes, ports, security context, volumes, hooks and sidecars.
 *
 * Nothing is listed per example: what the fixture must do is derived from the example's manifests
 * and passed through the chart's own values (exampleRun below): `image.*` (and
 * `sidecars.<name>.image`) point at a fixture image whose numeric USER is the pods' runAsUser and
 * which has the fixture installed under every command the pods run (`python`, `alembic`,
 * `/usr/local/bin/queue-worker`, ...); `extraEnvVars` tells it which ports to serve (TCP and UDP),
 * which HTTP paths are liveness / readiness paths, which header to count, which mounts it must
 * write to, and which commands run once and exit (a migration hook, a CronJob's Job). Arguments
 * like `--health-addr=:50051` are listen addresses too (sidecars, whose env the chart does not
 * parameterize). All examples are installed side by side (one namespace each, at the Pod Security
 * level the output states), each with one `helm install --wait`, helm 3 and helm 4 alternating
 * over the examples (example-lifecycle.ts). Then, side by side, each example's own checks, its
 * chart's `helm test` (when it has test hooks), and, for a long-running workload, a `helm upgrade`
 * whose config change rolls every pod and a `helm rollback` to revision 1 that rolls them back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { chartDirOf, discoverExamples, podTemplates, type Example, type K8sObject } from '../support/examples';
import { claimsOf as _claims } from '../support/volumes';
import { kube } from '../support/env';
import { run } from '../support/run';
import { taskCgroups } from '../realnode/cgroups';
import { policyEngineUnavailable, readPlan } from '../realnode/node';
import { useRealNode } from '../realnode/use';
import { LONG_RUNNING, hasChartTests, helmFor, templateMarker, upgradeChange, type LifecycleHelm, type UpgradeChange } from './example-lifecycle';
import { buildFixture, buildTestImage, buildVariants, EXAMPLES_REPOSITORY, testImageUnavailable, type Fixture } from './fixture-image';
import { cluster, daemonSetNodeValues, inNetns, realNamespace, realNode, skipReason, until } from './support';

const examples = discoverExamples();
const FIXTURE = '/usr/local/bin/fixture';
const policies = !!realNode.planDir && !policyEngineUnavailable();
/** Why the charts' `helm test` cannot run: the test Pod connects to the Service by name (cluster DNS), with a locally built image. */
const helmTestSkip = skipReason ? undefined : testImageUnavailable()
  ?? (realNode.planDir && !readPlan(realNode.planDir).dnsToken ? 'CoreDNS not built (scripts/bootstrap-tools.sh coredns): Service names do not resolve on the local node' : undefined);
if (helmTestSkip) console.warn(`SKIPPED real-pod helm test of the examples: ${helmTestSkip}`);

/** A container the fixture stands in for, and what it must serve. */
interface Stand {
  readonly name: string;
  readonly user: string;
  readonly tcp: number[];
  readonly udp: number[];
  /** HTTP probe paths: `path` or `path header=value`, and gRPC probes' `/grpc.health.v1.Health/Check`. */
  readonly probed: string[];
  readonly execProbe: boolean;
  readonly writable: string[];
}

/** What one example needs from the fixture, derived from its manifests. */
interface ExampleRun {
  readonly ex: Example;
  readonly ns: string;
  readonly chart: string;
  readonly main: Stand;
  readonly sidecars: Stand[];
  readonly users: string[];
  readonly aliases: string[];
  readonly runOnce: string[];
  readonly cronJob?: string;
  readonly hookJobs: string[];
  readonly env: { name: string; value: string }[];
  readonly claims: string[];
  /** The helm that manages the release (helm 3 and 4 alternate over the examples). */
  readonly helm: LifecycleHelm;
  /** The chart has `helm test` hooks. */
  readonly tests: boolean;
  /** What `helm upgrade` changes (long-running workloads only). */
  readonly change?: UpgradeChange;
}

const userOf = (podSc: any, c: any) => `${c.securityContext?.runAsUser ?? podSc?.runAsUser ?? 10001}:${c.securityContext?.runAsGroup ?? podSc?.runAsGroup ?? podSc?.runAsUser ?? 10001}`;

function standFor(c: any, podSc: any): Stand {
  const probes = [c.startupProbe, c.livenessProbe, c.readinessProbe].filter(Boolean);
  const probed = probes.flatMap((p: any) => {
    if (p.httpGet) {
      const h = p.httpGet.httpHeaders?.[0];
      return [h ? `${p.httpGet.path} ${h.name}=${h.value}` : p.httpGet.path];
    }
    return p.grpc ? ['/grpc.health.v1.Health/Check'] : [];
  });
  return {
    name: c.name,
    user: userOf(podSc, c),
    tcp: (c.ports ?? []).filter((p: any) => (p.protocol ?? 'TCP') === 'TCP').map((p: any) => p.containerPort),
    udp: (c.ports ?? []).filter((p: any) => p.protocol === 'UDP').map((p: any) => p.containerPort),
    probed: [...new Set(probed)],
    execProbe: probes.some((p: any) => p.exec),
    writable: (c.volumeMounts ?? []).filter((m: any) => !m.readOnly).map((m: any) => m.mountPath),
  };
}

const isHookJob = (o: K8sObject) => o.kind === 'Job' && /pre-(install|upgrade)/.test(o.metadata.annotations?.['helm.sh/hook'] ?? '');

function planOf(ex: Example, index: number): ExampleRun {
  const chart = chartDirOf(ex);
  if (!chart) throw new Error(`no chart for ${ex.fullname}`);
  const templates = podTemplates(ex.objects);
  const owner = templates.find((t) => t.owner.kind !== 'Job') ?? templates[0];
  const spec = owner.template.spec;
  const containers: any[] = spec.containers;
  const mainC = containers.find((c) => c.name === ex.name) ?? containers[0];
  const main = standFor(mainC, spec.securityContext);
  const sidecarCs = [...(spec.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always'), ...containers.filter((c) => c !== mainC)];
  const sidecars = sidecarCs.map((c) => standFor(c, spec.securityContext));
  const users = new Set<string>();
  const aliases = new Set<string>();
  const runOnce = new Set<string>();
  for (const { owner: o, template } of templates) {
    for (const c of [...(template.spec.initContainers ?? []), ...template.spec.containers]) {
      users.add(userOf(template.spec.securityContext, c));
      if (c.command?.[0]) aliases.add(c.command[0]);
      for (const p of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (p?.exec?.command?.[0]) aliases.add(p.exec.command[0]);
      // Run-to-completion pods: the first argument (or the command's name) runs once and exits.
      if (o.kind === 'Job' || o.kind === 'CronJob') runOnce.add(path.basename(c.command?.[0] ?? c.args?.[0] ?? 'fixture'));
    }
  }
  // The fixture serves every TCP port the main container declares (loopback only when it declares none).
  const env: Record<string, string> = {
    FIXTURE_LISTEN: main.tcp.length ? main.tcp.map((p) => `:${p}`).join(',') : '127.0.0.1:8080',
    FIXTURE_UDP_LISTEN: main.udp.map((p) => `:${p}`).join(','),
    FIXTURE_WRITABLE_DIR: main.writable.join(',') || '/tmp',
    FIXTURE_RUN_ONCE: [...runOnce].join(','),
  };
  const probeOf = (p: any) => p?.httpGet?.path as string | undefined;
  const live = [probeOf(mainC.livenessProbe), probeOf(mainC.startupProbe)].filter(Boolean);
  const ready = [probeOf(mainC.readinessProbe)].filter(Boolean);
  if (live.length) env.FIXTURE_LIVE_PATHS = [...new Set(live)].join(',');
  if (ready.length) env.FIXTURE_READY_PATHS = ready.join(',');
  const header = [mainC.livenessProbe, mainC.readinessProbe, mainC.startupProbe].map((p: any) => p?.httpGet?.httpHeaders?.[0]?.name).find(Boolean);
  if (header) env.FIXTURE_COUNT_HEADER = header;
  const cron = ex.objects.find((o) => o.kind === 'CronJob');
  const envList = Object.entries(env).filter(([, v]) => v).map(([name, value]) => ({ name, value }));
  const values = parseYaml(fs.readFileSync(path.join(chart, 'values.yaml'), 'utf8')) ?? {};
  return {
    ex, chart, main, sidecars, users: [...users].sort(), aliases: [...aliases], runOnce: [...runOnce],
    ns: `realex-${ex.fullname}`.slice(0, 63).replace(/-+$/, ''),
    cronJob: cron?.metadata.name,
    hookJobs: ex.objects.filter(isHookJob).map((o) => o.metadata.name),
    env: envList,
    claims: _claims(ex.objects).map((c) => c.name),
    helm: helmFor(index),
    tests: hasChartTests(chart),
    change: ex.workloads.some((w) => LONG_RUNNING.has(w.kind)) ? upgradeChange(values, envList) : undefined,
  };
}

describe.skipIf(!!skipReason || !examples.length)('real pods: every example on a real kubelet, the fixture standing in for its images', () => {
  const local = useRealNode({ networkPolicy: policies });
  let fx: Fixture;
  let images = new Map<string, string>();
  let testImage: string | undefined;
  const plans = examples.map(planOf);
  const installs = new Map<string, Promise<{ code: number; out: string; ms: number }>>();
  const times: Record<string, number> = {};
  const volumeRoots: string[] = [];

  const kc = (args: string[], input?: string) => kube.kubectl(args, input);
  const pods = async (p: ExampleRun): Promise<any[]> => JSON.parse((await kube.kubectlOk(['-n', p.ns, 'get', 'pods', '-o', 'json'])).stdout).items
    .filter((x: any) => !x.metadata.deletionTimestamp && x.metadata.labels?.['app.kubernetes.io/instance'] === p.ex.instance && !x.metadata.labels?.['job-name']);
  /** What failed: the namespace's objects and events, and every container's (previous) log. */
  const explainFailure = async (p: ExampleRun): Promise<string> => {
    const logs = await kc(['-n', p.ns, 'logs', '--all-containers', '--prefix', '--tail=20', '-l', `app.kubernetes.io/instance=${p.ex.instance}`]);
    const prev = await kc(['-n', p.ns, 'logs', '--all-containers', '--prefix', '--previous', '--tail=20', '-l', `app.kubernetes.io/instance=${p.ex.instance}`]);
    const pods_ = await kc(['-n', p.ns, 'get', 'pods', '-o', 'yaml']);
    return `${await kube.describe(p.ns)}\n--- logs\n${logs.stdout}${logs.stderr}\n--- previous logs\n${prev.stdout}${prev.stderr}\n--- pods\n${pods_.stdout.slice(0, 6000)}`;
  };
  const exec = (ns: string, pod: string, container: string, ...args: string[]) => kc(['-n', ns, 'exec', pod, '-c', container, '--', FIXTURE, ...args]);

  function valuesFor(p: ExampleRun): string[] {
    const values = parseYaml(fs.readFileSync(path.join(p.chart, 'values.yaml'), 'utf8')) ?? {};
    const image = images.get(p.main.user)!;
    const tag = image.slice(image.lastIndexOf(':') + 1);
    const flags = ['--set', 'image.registry=localhost', '--set', `image.repository=${EXAMPLES_REPOSITORY}`, '--set', `image.tag=${tag}`,
      '--set', 'image.digest=', '--set-json', `extraEnvVars=${JSON.stringify(p.env)}`];
    if (values.image && 'pullPolicy' in values.image) flags.push('--set', 'image.pullPolicy=IfNotPresent');
    for (const s of p.sidecars) {
      if (values.sidecars?.[s.name]) flags.push('--set', `sidecars.${s.name}.image=${images.get(s.user)}`);
    }
    // One pod per workload keeps the 2-core machine's load small (a StatefulSet keeps 2: a claim each).
    if ('replicaCount' in values) flags.push('--set', `replicaCount=${p.claims.length ? 2 : 1}`);
    if (values.autoscaling && 'minReplicas' in values.autoscaling) flags.push('--set', 'autoscaling.minReplicas=1');
    if (testImage && values.tests && 'image' in values.tests) flags.push('--set', `tests.image=${testImage}`);
    if (p.ex.workloads.some((w) => w.kind === 'DaemonSet')) flags.push(...daemonSetNodeValues());
    return flags;
  }

  beforeAll(async () => {
    const t0 = Date.now();
    fx = await buildFixture(local.node?.containerdSocket);
    times['fixture build'] = Date.now() - t0;
    const t1 = Date.now();
    images = await buildVariants(fx, [...new Set(plans.flatMap((p) => p.users))], [...new Set(plans.flatMap((p) => p.aliases))], local.node?.containerdSocket);
    times['variant images'] = Date.now() - t1;
    if (!helmTestSkip && plans.some((p) => p.tests)) testImage = await buildTestImage(fx, local.node?.containerdSocket);
    await kube.installCrds();
    for (const p of plans) {
      realNamespace(p.ns, p.ex.podSecurity);
      // Placeholder Secrets (existingSecret / ExternalSecret targets), and pre-bound hostPath
      // PersistentVolumes for the claims (no provisioner here), writable by the pods' user.
      await kube.createPlaceholders(p.ns, p.ex.objects);
      for (const c of p.claims) {
        const dir = `/tmp/slipway-e2e/${p.ns}/${c}`;
        fs.mkdirSync(dir, { recursive: true, mode: 0o777 });
        fs.chmodSync(dir, 0o777);
      }
      if (p.claims.length) volumeRoots.push(`/tmp/slipway-e2e/${p.ns}`);
    }
    // Every example at once, one `helm install --wait` each.
    for (const p of plans) {
      const t = Date.now();
      installs.set(p.ex.fullname, run(p.helm, ['install', p.ex.instance, p.chart, `--kubeconfig=${cluster.kubeconfig}`, '-n', p.ns,
        '--wait', '--timeout', '90s', ...valuesFor(p)], { timeoutMs: 240_000 }).then((r) => {
        times[`${p.ex.fullname} install --wait`] = Date.now() - t;
        return { code: r.code, out: r.stdout + r.stderr, ms: Date.now() - t };
      }));
    }
  }, 300_000);

  afterAll(async () => {
    console.log(`[realpods] examples timings (ms): ${JSON.stringify(times)}`);
    await Promise.all(plans.map((p) => run(p.helm, ['uninstall', p.ex.instance, `--kubeconfig=${cluster.kubeconfig}`, '-n', p.ns, '--wait', '--timeout', '60s'],
      { timeoutMs: 90_000 }).catch(() => undefined)));
    await Promise.all(plans.map((p) => kc(['delete', 'namespace', p.ns, '--wait=true', '--timeout=60s'])));
    for (const p of plans) for (const c of p.claims) await kc(['delete', 'pv', `${p.ns}-${c}`.slice(0, 253), '--ignore-not-found']);
    for (const d of volumeRoots) fs.rmSync(d, { recursive: true, force: true });
    if (fx) fs.rmSync(fx.work, { recursive: true, force: true });
  }, 240_000);

  it.skipIf(!realNode.planDir)('every container and sandbox runs in the run\'s own cgroup root, under kubelet\'s kubepods', async () => {
    await Promise.all(installs.values());
    const tasks = taskCgroups(local.node!.containerdSocket);
    expect(new Set(tasks.map((t) => t.task)).size, 'running tasks').toBeGreaterThan(plans.length);
    const outside = tasks.filter((t) => !t.path.startsWith(`/${local.node!.cgroupRoot}/kubepods/`));
    expect(outside.map((t) => `${t.task.slice(0, 12)} ${t.controllers}:${t.path}`)).toEqual([]);
  });

  for (const p of plans) {
    // Examples side by side (each in its own namespace); the steps of one example in order.
    describe.concurrent(p.ex.fullname, () => { describe.sequential(`${p.helm} release`, () => {
      let installed = false;

      it(`${p.helm} install --wait: every pod Ready in a namespace enforcing Pod Security ${p.ex.podSecurity}${p.hookJobs.length ? ', the migration hook Job completed' : ''}`, async () => {
        const r = await installs.get(p.ex.fullname)!;
        if (r.code !== 0) {
          throw new Error(`helm install failed:\n${r.out}\n${await explainFailure(p)}`);
        }
        installed = true;
        for (const w of p.ex.workloads) {
          const res = await kc(['-n', p.ns, 'rollout', 'status', `${w.kind.toLowerCase()}/${w.metadata.name}`, '--timeout=120s']);
          if (res.code !== 0) throw new Error(`rollout status ${w.kind}/${w.metadata.name}: ${res.stderr}\n${await explainFailure(p)}`);
        }
        const ns = JSON.parse((await kube.kubectlOk(['get', 'namespace', p.ns, '-o', 'json'])).stdout);
        expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe(p.ex.podSecurity);
        if (!p.ex.workloads.length) return;
        const list = await pods(p);
        expect(list.length).toBeGreaterThan(0);
        for (const pod of list) {
          expect(pod.status.conditions.find((c: any) => c.type === 'Ready')?.status, pod.metadata.name).toBe('True');
          for (const s of [...(pod.status.initContainerStatuses ?? []), ...pod.status.containerStatuses]) {
            if (s.state?.terminated?.reason === 'Completed') continue;
            expect(s, `${pod.metadata.name}/${s.name}`).toMatchObject({ ready: true, restartCount: 0 });
          }
        }
        for (const job of p.hookJobs) {
          const j = await kc(['-n', p.ns, 'get', 'job', job, '-o', 'json']);
          // A hook Job may have been deleted by its hook-delete-policy once it succeeded.
          if (j.code === 0) expect(JSON.parse(j.stdout).status.succeeded, job).toBe(1);
        }
      }, 300_000);

      if (p.ex.workloads.length) {
        it(`runs as ${p.main.user} (the image's USER), serves ${[...p.main.tcp.map((x) => `${x}/TCP`), ...p.main.udp.map((x) => `${x}/UDP`)].join(', ') || 'no port'}, writes ${p.main.writable.join(', ') || '/tmp'}`, async () => {
          if (!installed) throw new Error('install failed (see above)');
          for (const pod of await pods(p)) {
            for (const s of [p.main, ...p.sidecars]) {
              const port = s.tcp[0] ?? 8080;
              const who = await exec(p.ns, pod.metadata.name, s.name, 'get', `http://127.0.0.1:${port}/whoami`);
              expect(who.stdout, `${s.name}: ${who.stderr}`).toContain(`uid=${s.user.split(':')[0]} gid=${s.user.split(':')[1]}`);
              for (const other of s.tcp.slice(1)) {
                const r = await exec(p.ns, pod.metadata.name, s.name, 'get', `http://${pod.status.podIP}:${other}/`);
                expect(r.code, `${s.name} :${other} ${r.stdout}${r.stderr}`).toBe(0);
              }
            }
            // UDP: a datagram from the node's namespace to the pod's port comes back (the fixture echoes).
            for (const port of local.node ? p.main.udp : []) {
              const script = `const s=require('dgram').createSocket('udp4');s.on('message',m=>{console.log(String(m));process.exit(0)});` +
                `setTimeout(()=>process.exit(1),3000);s.send('ping-${port}',${port},'${pod.status.podIP}')`;
              const r = inNetns(local.node!.netns, [process.execPath, '-e', script]);
              expect(r.stdout.trim(), `UDP ${pod.status.podIP}:${port}: ${r.stderr}`).toBe(`ping-${port}`);
            }
            for (const dir of p.main.writable) {
              const ls = await exec(p.ns, pod.metadata.name, p.main.name, 'ls', dir);
              expect(ls.stdout.split('\n'), `${dir}: ${ls.stderr}`).toContain('fixture-started');
            }
          }
        }, 120_000);

        it(`kubelet probed ${[p.main, ...p.sidecars].map((s) => `${s.name}: ${[...s.probed, ...(s.execProbe ? ['exec'] : [])].join(', ') || 'nothing'}`).join('; ')}`, async () => {
          if (!installed) throw new Error('install failed (see above)');
          const [pod] = await pods(p);
          for (const s of [p.main, ...p.sidecars]) {
            const port = s.tcp[0] ?? 8080;
            const metrics = async () => (await exec(p.ns, pod.metadata.name, s.name, 'get', `http://127.0.0.1:${port}/metrics`)).stdout;
            // Liveness probes start once the startup probe passed, at their period (up to 15 s here).
            if (s.probed.length) {
              const deadline = Date.now() + 45_000;
              let text = '';
              for (;;) {
                text = await metrics();
                const missing = s.probed.filter((pr) => !counted(text, pr));
                if (!missing.length) break;
                if (Date.now() > deadline) throw new Error(`${s.name}: no probe request for ${missing.join(', ')} in\n${text}`);
                await new Promise((r) => setTimeout(r, 1000));
              }
            }
            if (s.execProbe) {
              const deadline = Date.now() + 45_000;
              for (;;) {
                const ls = await exec(p.ns, pod.metadata.name, s.name, 'ls', s.writable[0] ?? '/tmp');
                if (ls.stdout.split('\n').includes('fixture-healthchecks')) break;
                if (Date.now() > deadline) throw new Error(`${s.name}: the exec probe never ran (${ls.stdout}${ls.stderr})`);
                await new Promise((r) => setTimeout(r, 1000));
              }
            }
          }
        }, 180_000);
      }

      if (p.cronJob) {
        it(`CronJob ${p.cronJob}: a Job created from it completes`, async () => {
          if (!installed) throw new Error('install failed (see above)');
          const job = `${p.cronJob}-now`.slice(0, 52);
          await kube.kubectlOk(['-n', p.ns, 'create', 'job', job, `--from=cronjob/${p.cronJob}`]);
          const w = await kc(['-n', p.ns, 'wait', `job/${job}`, '--for=condition=complete', '--timeout=120s']);
          if (w.code !== 0) throw new Error(`${w.stderr}\n${await kube.describe(p.ns)}`);
          const logs = await kc(['-n', p.ns, 'logs', `job/${job}`]);
          expect(logs.stdout).toMatch(/fixture: ran once/);
        }, 180_000);
      }

      if (p.tests) {
        it.skipIf(!!helmTestSkip)(`${p.helm} test: the chart's test Pod connects to the Service by name and passes`, async () => {
          if (!installed) throw new Error('install failed (see above)');
          const t = Date.now();
          const r = await run(p.helm, ['test', p.ex.instance, `--kubeconfig=${cluster.kubeconfig}`, '-n', p.ns, '--timeout', '150s'], { timeoutMs: 200_000 });
          times[`${p.ex.fullname} ${p.helm} test`] = Date.now() - t;
          if (r.code !== 0) {
            const logs = await kc(['-n', p.ns, 'logs', '-l', 'app.kubernetes.io/component=test', '--tail=20']);
            throw new Error(`${p.helm} test failed:\n${r.stdout}${r.stderr}\n--- test Pod logs\n${logs.stdout}${logs.stderr}\n${await explainFailure(p)}`);
          }
          const phases = [...r.stdout.matchAll(/^TEST SUITE:\s+(\S+)\n.*?^Phase:\s+(\S+)/gms)].map((m) => `${m[1]} ${m[2]}`);
          expect(phases.some((x) => /-test-connection Succeeded$/.test(x)), r.stdout).toBe(true);
          // hook-succeeded: the test Pod and its NetworkPolicy are gone once it passed.
          await until('test hooks deleted', 30_000, async () => (await kc(['-n', p.ns, 'get', 'pods,networkpolicies', '-l', 'app.kubernetes.io/component=test', '-o', 'name'])).stdout.trim() === '');
        }, 240_000);
      }

      if (p.change) {
        const change = p.change;
        it(`${p.helm} upgrade (${change.what}) rolls every pod${change.checksum ? ' (checksum/config)' : ''}; rollback to 1 rolls them back`, async () => {
          if (!installed) throw new Error('install failed (see above)');
          const rolling = p.ex.workloads.filter((w) => LONG_RUNNING.has(w.kind));
          const markers = async () => Object.fromEntries(await Promise.all(rolling.map(async (w) => {
            const live = JSON.parse((await kube.kubectlOk(['-n', p.ns, 'get', `${w.kind.toLowerCase()}/${w.metadata.name}`, '-o', 'json'])).stdout);
            return [`${w.kind}/${w.metadata.name}`, templateMarker(live, p.main.name, change)] as const;
          })));
          const seen = async (pod: any) => {
            const r = await exec(p.ns, pod.metadata.name, p.main.name, 'get', `http://127.0.0.1:${p.main.tcp[0] ?? 8080}/config`);
            return JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))).env[change.key] as string | undefined;
          };
          /** After an upgrade or rollback: every workload rolled out, and every pod is new (by uid: StatefulSet pods keep their names), Ready, not restarted. */
          const rolled = async (what: string, old: Set<string>) => {
            for (const w of rolling) {
              const res = await kc(['-n', p.ns, 'rollout', 'status', `${w.kind.toLowerCase()}/${w.metadata.name}`, '--timeout=120s']);
              if (res.code !== 0) throw new Error(`${what}: rollout status ${w.kind}/${w.metadata.name}: ${res.stderr}\n${await explainFailure(p)}`);
            }
            return until(`${what}: only new, Ready pods`, 90_000, async () => {
              const list = await pods(p);
              return list.length > 0 && list.every((x) => !old.has(x.metadata.uid) && x.status.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')
                && x.status.containerStatuses.every((c: any) => c.restartCount === 0)) && list;
            });
          };
          const helmRun = async (args: string[]) => {
            const r = await run(p.helm, [...args, `--kubeconfig=${cluster.kubeconfig}`, '-n', p.ns, '--wait', '--timeout', '150s'], { timeoutMs: 200_000 });
            if (r.code !== 0) throw new Error(`${p.helm} ${args[0]} failed:\n${r.stdout}${r.stderr}\n${await explainFailure(p)}`);
          };

          const first = await markers();
          const installedPods = await pods(p);
          expect(await seen(installedPods[0])).toBe(change.from);
          let t = Date.now();
          await helmRun(['upgrade', p.ex.instance, p.chart, ...valuesFor(p), ...change.flags]);
          const upgraded = await rolled('upgrade', new Set(installedPods.map((x) => x.metadata.uid)));
          times[`${p.ex.fullname} ${p.helm} upgrade`] = Date.now() - t;
          const second = await markers();
          for (const [w, m] of Object.entries(second)) {
            expect(m, `${w}: ${change.checksum ? 'checksum/config' : change.key} after the upgrade`).toBeTruthy();
            expect(m, `${w}: the pod template did not change`).not.toBe(first[w]);
          }
          for (const pod of upgraded) expect(await seen(pod), pod.metadata.name).toBe(change.to);

          t = Date.now();
          await helmRun(['rollback', p.ex.instance, '1']);
          const back = await rolled('rollback', new Set(upgraded.map((x: any) => x.metadata.uid)));
          times[`${p.ex.fullname} ${p.helm} rollback`] = Date.now() - t;
          expect(await markers()).toEqual(first);
          for (const pod of back) expect(await seen(pod), pod.metadata.name).toBe(change.from);
        }, 420_000);
      }
    }); });
  }
});

/** Whether the fixture's /metrics count at least one request for `probe` (`path` or `path header=value`). */
function counted(metrics: string, probe: string): boolean {
  const [p, header] = probe.split(' ');
  return metrics.split('\n').some((l) => {
    const m = /^fixture_requests_total\{path="([^"]*)"\} (\d+)$/.exec(l);
    if (!m || Number(m[2]) < 1) return false;
    const [path_, h] = m[1].split(' ');
    return path_ === p && (!header || h === header);
  });
}
