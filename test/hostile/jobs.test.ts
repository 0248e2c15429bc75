/**
 * Hostile input for Job / CronJob workloads and RBAC: bad schedules and time zones, fields of a
 * long-running service on a pod that runs to completion, run settings on the wrong kind, wildcard
 * or contradictory RBAC. Each gives a located
 * error (file:line:column, field path) saying what to change; the CLI exits non-zero and writes
 * nothing; the chart's values.schema.json refuses the same mistakes in values. A seeded random walk
 * builds valid schedules (accepted) and breaks one field of each (refused, naming that field).
 * `SLIPWAY_FUZZ_CASES` / `SLIPWAY_FUZZ_SEED` size and seed it.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpecText } from '../../src/spec/load';
import { cronProblem } from '../../src/model/cron';
import { loadError } from '../support/render';
import { helm, helmBinaries } from '../support/helm';
import { KUBE_VERSION_ARGS, writeChart } from '../chart/fixture';
import { buildOnce, slipway, tempDir } from '../cli/helpers';
import { rng } from '../support/random-spec';

const HEAD = `name: nightly
version: 1.0.0
image: { repository: acme/nightly }
`;
/** A CronJob spec whose `cronJob` block starts on line 6. */
const cron = (cronJob: string, extra = '') => `${HEAD}workload:
  kind: CronJob
  cronJob:
${cronJob}${extra}`;
const job = (extra: string) => `${HEAD}workload: { kind: Job }\n${extra}`;
/** A service with `rbac` whose first rule is on line 6. */
const rbac = (rules: string, extra = '') => `${HEAD}rbac:\n${extra}  rules:\n${rules}`;

const CORPUS: [string, string, RegExp][] = [
  ['a schedule with four fields', cron('    schedule: "0 3 * *"\n'), /spec\.yaml:7:15: workload\.cronJob\.schedule: has 4 fields: a schedule is five fields/],
  ['a schedule with seconds (six fields)', cron('    schedule: "0 0 3 * * *"\n'), /spec\.yaml:7:15: workload\.cronJob\.schedule: has 6 fields/],
  ['minute 60', cron('    schedule: "60 3 * * *"\n'), /spec\.yaml:7:\d+: workload\.cronJob\.schedule: field 1 \(minute\) "60" has "60" outside 0-59/],
  ['day of week 7', cron('    schedule: "0 3 * * 7"\n'), /workload\.cronJob\.schedule: field 5 \(day of week\) "7" has "7" outside 0-6 or SUN-SAT/],
  ['a month name that does not exist', cron('    schedule: "0 3 1 JUNE *"\n'), /field 4 \(month\) "JUNE" has "JUNE": values are 1-12 or JAN-DEC/],
  ['a step of zero', cron('    schedule: "*/0 * * * *"\n'), /workload\.cronJob\.schedule: field 1 \(minute\) "\*\/0" has step 0/],
  ['a backwards range', cron('    schedule: "0 17-9 * * *"\n'), /field 2 \(hour\) "17-9" has the range "17-9", which runs backwards/],
  ['@every (not clock-based)', cron('    schedule: "@every 1h"\n'), /"@every 1h" is not a known descriptor/],
  ['@reboot', cron('    schedule: "@reboot"\n'), /"@reboot" is not a known descriptor/],
  ['an inline CRON_TZ', cron('    schedule: "CRON_TZ=UTC 0 3 * * *"\n'), /sets its time zone inline \(TZ=\.\.\.\), which Kubernetes refuses: use cronJob\.timeZone/],
  ['a schedule with a line break', cron('    schedule: "0 3 * * *\\n0 4 * * *"\n'), /spec\.yaml:7:\d+: workload\.cronJob\.schedule: must be a cron schedule on one line/],
  ['an empty schedule', cron('    schedule: ""\n'), /workload\.cronJob\.schedule: must be a cron schedule on one line/],
  ['no schedule at all', cron('    timeZone: Etc/UTC\n'), /spec\.yaml:\d+:\d+: workload\.cronJob: .*schedule/],
  ['a CronJob without cronJob', `${HEAD}workload: { kind: CronJob }\n`, /spec\.yaml:4:\d+: workload: is a CronJob without a schedule: add cronJob: \{ schedule: "0 3 \* \* \*" \}/],
  ['time zone Local', cron('    schedule: "@daily"\n    timeZone: Local\n'), /spec\.yaml:8:15: workload\.cronJob\.timeZone: is "Local", which Kubernetes refuses/],
  ['an unknown time zone', cron('    schedule: "@daily"\n    timeZone: Mars/Olympus\n'), /spec\.yaml:8:15: workload\.cronJob\.timeZone: "Mars\/Olympus" is not an IANA time zone/],
  ['a time zone in the wrong case', cron('    schedule: "@daily"\n    timeZone: europe/berlin\n'), /workload\.cronJob\.timeZone: "europe\/berlin" must be written "Europe\/Berlin"/],
  ['a UTC offset as time zone', cron('    schedule: "@daily"\n    timeZone: "+02:00"\n'), /spec\.yaml:8:\d+: workload\.cronJob\.timeZone: must be an IANA time zone name/],
  ['a time zone with a path traversal', cron('    schedule: "@daily"\n    timeZone: ../../etc/passwd\n'), /workload\.cronJob\.timeZone: must be an IANA time zone name/],
  ['an unknown concurrency policy', cron('    schedule: "@daily"\n    concurrencyPolicy: Skip\n'), /spec\.yaml:8:\d+: workload\.cronJob\.concurrencyPolicy: must be one of "Allow", "Forbid", "Replace"/],
  ['a starting deadline under 10 s', cron('    schedule: "@daily"\n    startingDeadlineSeconds: 5\n'), /workload\.cronJob\.startingDeadlineSeconds: must be >= 10/],
  ['a negative history limit', cron('    schedule: "@daily"\n    failedJobsHistoryLimit: -1\n'), /workload\.cronJob\.failedJobsHistoryLimit: must be >= 0/],
  ['restartPolicy Always', job('').replace('workload: { kind: Job }', 'workload: { kind: Job, job: { restartPolicy: Always } }'), /spec\.yaml:4:\d+: workload\.job\.restartPolicy: must be one of "Never", "OnFailure"/],
  ['a fractional backoffLimit', job('').replace('workload: { kind: Job }', 'workload: { kind: Job, job: { backoffLimit: 1.5 } }'), /workload\.job\.backoffLimit: must be integer/],
  ['ports on a CronJob', cron('    schedule: "@daily"\n', 'ports: [{ name: http, containerPort: 8080 }]\n'), /spec\.yaml:8:\d+: ports: a CronJob's pods run to completion and nothing connects to them: remove ports/],
  ['ports on a Job', job('ports: [{ name: http, containerPort: 8080 }]\n'), /spec\.yaml:5:\d+: ports: a Job's pods run to completion/],
  ['autoscaling on a CronJob', cron('    schedule: "@daily"\n', 'autoscaling: { maxReplicas: 4 }\n'), /spec\.yaml:8:\d+: autoscaling: does not apply to a CronJob \(it runs one pod per run\): remove autoscaling/],
  ['replicas on a Job', job('replicas: 3\n'), /spec\.yaml:5:\d+: replicas: does not apply to a Job \(it runs one pod per run\): remove replicas/],
  ['an ingress on a CronJob', cron('    schedule: "@daily"\n', 'ingress: { hosts: [{ host: a.example.com }] }\n'), /spec\.yaml:8:\d+: ingress: routes to a Service, which a CronJob does not have: remove ingress/],
  ['an httpRoute on a Job', job('httpRoute: { parentRefs: [{ name: gw }] }\n'), /httpRoute: routes to a Service, which a Job does not have/],
  ['a Service on a Job', job('service: { type: ClusterIP }\n'), /spec\.yaml:5:\d+: service: has no pods to route to in a Job: remove service/],
  ['probes on a CronJob', cron('    schedule: "@daily"\n', 'health: { exec: { command: [/bin/true] } }\n'), /spec\.yaml:8:\d+: health: does not apply to a CronJob: .*activeDeadlineSeconds/],
  ['a PDB on a Job', job('pdb: { maxUnavailable: 1 }\n'), /pdb: does not apply to a Job: a disruption budget would block node drains/],
  ['metrics on a Job', job('metrics: { port: metrics, mode: annotations }\n'), /metrics: does not apply to a Job: .*Pushgateway/],
  ['a migration on a CronJob', cron('    schedule: "@daily"\n', 'migration: { command: [/migrate] }\n'), /migration: does not apply to a CronJob: run the migration as the first step/],
  ['an update strategy on a Job', `${HEAD}workload: { kind: Job, updateStrategy: { maxSurge: 1 } }\n`, /workload\.updateStrategy: does not apply to a Job: each run starts with the current pod template/],
  ['a preStop sleep on a Job', job('shutdown: { preStopSleepSeconds: 5 }\n'), /shutdown\.preStopSleepSeconds: does not apply to a Job/],
  ['job settings on a Deployment', `${HEAD}workload: { job: { backoffLimit: 1 } }\n`, /spec\.yaml:4:\d+: workload\.job: applies only to workload\.kind: Job or CronJob \(this is a Deployment\)/],
  ['a schedule on a Job', `${HEAD}workload: { kind: Job, cronJob: { schedule: "@daily" } }\n`, /workload\.cronJob: applies only to workload\.kind: CronJob: set kind: CronJob to run on a schedule/],
  ['a schedule on a DaemonSet', `${HEAD}workload: { kind: DaemonSet, cronJob: { schedule: "@daily" } }\n`, /workload\.cronJob: applies only to workload\.kind: CronJob \(this is a DaemonSet\)/],
  ['a lower-case kind', `${HEAD}workload: { kind: cronjob }\n`, /workload\.kind: must be one of .*"CronJob"/],
  ['a TTL on a CronJob', cron('    schedule: "@daily"\n', '  job: { ttlSecondsAfterFinished: 60 }\n'), /spec\.yaml:8:\d+: workload\.job\.ttlSecondsAfterFinished: does not apply to a CronJob: .*HistoryLimit/],
  // RBAC: least privilege, located.
  ['a wildcard verb', rbac('    - { apiGroups: [""], resources: [configmaps], verbs: ["*"] }\n'), /spec\.yaml:6:\d+: rbac\.rules\[0\]\.verbs\[0\]: "\*" is a wildcard: it grants every verb.*allow: \[rbacWildcard\]/],
  ['a wildcard resource', rbac('    - { apiGroups: [""], resources: ["*"], verbs: [get] }\n'), /rbac\.rules\[0\]\.resources\[0\]: "\*" is a wildcard: it grants every resource/],
  ['a wildcard subresource', rbac('    - { apiGroups: [""], resources: ["pods/*"], verbs: [get] }\n'), /rbac\.rules\[0\]\.resources\[0\]: "pods\/\*" is a wildcard/],
  ['a wildcard API group in a second rule', rbac('    - { apiGroups: [""], resources: [configmaps], verbs: [get] }\n    - { apiGroups: ["*"], resources: [deployments], verbs: [get] }\n'), /spec\.yaml:7:\d+: rbac\.rules\[1\]\.apiGroups\[0\]: "\*" is a wildcard: it grants every API group/],
  ['an rbacWildcard exception nothing uses', rbac('    - { apiGroups: [""], resources: [configmaps], verbs: [get] }\n') + 'security:\n  exceptions: [{ name: wide, reason: grants everything for now, allow: [rbacWildcard] }]\n', /security\.exceptions\[0\]\.allow\[0\]: allows rbacWildcard, which the service does not use/],
  ['automountToken false with rbac', `${HEAD}serviceAccount: { automountToken: false }\n` + rbac('    - { apiGroups: [""], resources: [configmaps], verbs: [get] }\n').slice(HEAD.length), /spec\.yaml:4:\d+: serviceAccount\.automountToken: is false, but rbac grants/],
  ['clusterWide without a namespace', rbac('    - { apiGroups: [""], resources: [nodes], verbs: [get] }\n', '  clusterWide: true\n'), /rbac\.clusterWide: needs rbac\.namespace/],
  ['a namespace without clusterWide', rbac('    - { apiGroups: [""], resources: [configmaps], verbs: [get] }\n', '  namespace: tools\n'), /rbac\.namespace: applies only with clusterWide: true/],
  ['resourceNames with list', rbac('    - { apiGroups: [""], resources: [configmaps], verbs: [get, list], resourceNames: [flags] }\n'), /rbac\.rules\[0\]\.resourceNames: cannot restrict list: Kubernetes does not check resourceNames/],
  ['an upper-case resource', rbac('    - { apiGroups: [""], resources: [ConfigMaps], verbs: [get] }\n'), /rbac\.rules\[0\]\.resources\[0\]: must be a resource in lower-case plural/],
  ['a verb with spaces', rbac('    - { apiGroups: [""], resources: [configmaps], verbs: ["get list"] }\n'), /rbac\.rules\[0\]\.verbs\[0\]: must be a lower-case verb/],
  ['a rule without verbs', rbac('    - { apiGroups: [""], resources: [configmaps], verbs: [] }\n'), /rbac\.rules\[0\]\.verbs: must NOT have fewer than 1 items/],
  ['an unknown rule field', rbac('    - { apiGroups: [""], resources: [configmaps], verbs: [get], nonResourceURLs: [/metrics] }\n'), /rbac\.rules\[0\]\.nonResourceURLs: unknown field/],
  ['no rules', `${HEAD}rbac: { rules: [] }\n`, /rbac\.rules: must NOT have fewer than 1 items/],
  ['rbac on a sidecar', `${HEAD}workload: { kind: Sidecar }\n` + rbac('    - { apiGroups: [""], resources: [configmaps], verbs: [get] }\n').slice(HEAD.length), /rbac: does not apply to a Sidecar: it runs under its host's ServiceAccount/],
];

describe('hostile input: Job, CronJob and RBAC', () => {
  it('has at least 55 cases', () => expect(CORPUS.length).toBeGreaterThanOrEqual(55));
  for (const [what, yaml, message] of CORPUS) {
    it(`${what}: a located error that says what to change`, () => {
      expect(loadError(yaml)).toMatch(message);
    });
  }

  it('the CLI refuses a bad schedule with a non-zero exit and writes nothing', () => {
    buildOnce();
    const dir = tempDir('jobs');
    const spec = join(dir, 'nightly.yaml');
    writeFileSync(spec, cron('    schedule: "0 3 * * 8"\n'));
    const out = join(dir, 'dist');
    const r = slipway(['synth', spec, '-o', out]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/nightly\.yaml:7:\d+: workload\.cronJob\.schedule: field 5 \(day of week\) "8"/);
    expect(existsSync(out)).toBe(false);
  });
});


const FUZZ_CASES = Number(process.env.SLIPWAY_FUZZ_CASES ?? 50);
const FUZZ_SEED = Number(process.env.SLIPWAY_FUZZ_SEED ?? 15);
const BOUNDS: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 6]];

/** A random valid field within [min, max]: a star, n, a-b, a star with a step, or a list of them. */
function validField(next: () => number, [min, max]: [number, number]): string {
  const n = () => min + Math.floor(next() * (max - min + 1));
  const one = () => {
    const r = next();
    if (r < 0.2) return '*';
    if (r < 0.4) return `*/${1 + Math.floor(next() * max)}`;
    if (r < 0.7) return String(n());
    const [a, b] = [n(), n()].sort((x, y) => x - y);
    return next() < 0.5 ? `${a}-${b}` : `${a}-${b}/${1 + Math.floor(next() * 5)}`;
  };
  return Array.from({ length: 1 + Math.floor(next() * 3) }, one).join(',');
}

/** A field that breaks the rules: out of range, backwards, step 0, garbage. */
function invalidField(next: () => number, [min, max]: [number, number]): string {
  const r = next();
  if (r < 0.3) return String(max + 1 + Math.floor(next() * 40));
  if (min > 0 && r < 0.45) return String(min - 1);
  if (r < 0.6) return `${max}-${min}`;
  if (r < 0.75) return `${min}/0`;
  if (r < 0.9) return `${min}-${max}-${max}`;
  return `x${Math.floor(next() * 10)}`;
}

describe(`cron schedules: ${FUZZ_CASES} random cases (seed ${FUZZ_SEED})`, () => {
  it('accepts every valid schedule and refuses it with one field broken, naming that field', () => {
    const next = rng(FUZZ_SEED);
    for (let i = 0; i < FUZZ_CASES; i++) {
      const fields = BOUNDS.map((b) => validField(next, b));
      expect(cronProblem(fields.join(' ')), fields.join(' ')).toBeUndefined();
      const k = Math.floor(next() * 5);
      const broken = fields.map((f, j) => (j === k ? invalidField(next, BOUNDS[j]) : f));
      expect(cronProblem(broken.join(' ')), broken.join(' ')).toMatch(new RegExp(`^field ${k + 1} `));
      // And through the loader: the same problem, located.
      expect(loadError(cron(`    schedule: "${broken.join(' ')}"\n`))).toMatch(new RegExp(`spec\\.yaml:7:\\d+: workload\\.cronJob\\.schedule: field ${k + 1} `));
    }
  });
});

describe('the chart refuses bad schedule values', () => {
  const dir = writeChart(loadSpecText(cron('    schedule: "@daily"\n'), 'spec.yaml')[0].model);
  const BAD: [string, string[]][] = [
    ['timeZone Local', ['--set', 'cronJob.timeZone=Local']],
    ['a schedule with two fields', ['--set', 'cronJob.schedule=1 2']],
    ['concurrencyPolicy Skip', ['--set', 'cronJob.concurrencyPolicy=Skip']],
    ['a negative backoffLimit', ['--set', 'job.backoffLimit=-1']],
    ['restartPolicy Always', ['--set', 'job.restartPolicy=Always']],
    ['an unknown key under cronJob', ['--set', 'cronJob.every=1h']],
  ];
  describe.each(helmBinaries())('$name', (bin) => {
    it.each(BAD)('refuses %s', (_what, args) => {
      const r = helm(bin, ['template', 'nightly', dir, ...KUBE_VERSION_ARGS, ...args]);
      expect(r.status, r.stdout.slice(0, 300)).not.toBe(0);
      expect(r.stderr).toMatch(/values don't meet the specifications of the schema|schema/i);
    });
    it('accepts a valid override', () => {
      const r = helm(bin, ['template', 'nightly', dir, ...KUBE_VERSION_ARGS, '--set', 'cronJob.timeZone=America/New_York', '--set', 'cronJob.schedule=*/5 * * * 1-5']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/timeZone: "?America\/New_York"?/);
    });
  });
});
