/** One-off and scheduled workers: Job and CronJob objects, their defaults, pod settings and chart values. */
import { describe, expect, it } from 'vitest';
import { restrictedViolations } from '../support/pss';
import { find, renderOne, schemaErrors } from './helpers';
import { renderChart } from '../../src/chart';
import { loadSpecText } from '../../src/spec/load';
import { cronProblem, timeZoneProblem } from '../../src/model/cron';

const JOB = `name: reindex
version: 1.0.0
image: { repository: acme/reindex }
command: [/reindex, --all]
workload: { kind: Job }
config: { env: { MODE: full } }
secrets: [{ name: db, existingSecret: reindex-db, env: { DATABASE_URL: url } }]
`;

const CRON = `name: nightly
version: 2.0.0
image: { repository: acme/nightly }
workload:
  kind: CronJob
  cronJob: { schedule: "@daily" }
serviceAccount: { annotations: { eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/nightly" } }
`;

describe('Job', () => {
  const objects = renderOne(JOB);
  const job = find(objects, 'Job');
  const pod = job.spec.template.spec;

  it('renders a batch/v1 Job with the run defaults (backoffLimit 6, restartPolicy Never, no deadline, no TTL)', () => {
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.metadata.name).toBe('reindex');
    expect(job.spec.backoffLimit).toBe(6);
    expect(job.spec.activeDeadlineSeconds).toBeUndefined();
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(job.spec.selector).toBeUndefined();
    expect(pod.restartPolicy).toBe('Never');
    expect(job.metadata.labels['app.kubernetes.io/component']).toBe('job');
  });

  it('has the pod defaults of a service: PSS restricted, resources, ServiceAccount, config and secrets', () => {
    expect(restrictedViolations(pod, 'reindex')).toEqual([]);
    const c = pod.containers[0];
    expect(c.command).toEqual(['/reindex', '--all']);
    expect(c.resources.requests).toMatchObject({ cpu: '100m', memory: '128Mi' });
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'reindex-env' } }]);
    expect(c.env).toEqual([{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'reindex-db', key: 'url' } } }]);
    expect(pod.serviceAccountName).toBe('reindex');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(job.spec.template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('has no probes, Service, HPA, PDB, topology spread or ports', () => {
    const c = pod.containers[0];
    expect([c.ports, c.livenessProbe, c.readinessProbe, c.startupProbe, c.lifecycle, pod.topologySpreadConstraints]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(objects.map((o) => o.kind).sort()).toEqual(['ConfigMap', 'Job', 'NetworkPolicy', 'ServiceAccount']);
  });

  it('denies all ingress to its pods and validates strictly', () => {
    const np = find(objects, 'NetworkPolicy');
    expect(np.spec.ingress).toBeUndefined();
    expect(np.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'reindex', 'app.kubernetes.io/instance': 'reindex' });
    expect(schemaErrors(objects)).toEqual([]);
  });

  it('renders the run settings the spec sets', () => {
    const j = find(renderOne(JOB.replace('workload: { kind: Job }\n', 'workload:\n  kind: Job\n  job: { backoffLimit: 0, activeDeadlineSeconds: 900, ttlSecondsAfterFinished: 0, restartPolicy: OnFailure }\n')), 'Job');
    expect(j.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 900, ttlSecondsAfterFinished: 0 });
    expect(j.spec.template.spec.restartPolicy).toBe('OnFailure');
  });
});

describe('CronJob', () => {
  const objects = renderOne(CRON);
  const cron = find(objects, 'CronJob');

  it('renders the schedule with its defaults: Etc/UTC, Forbid, a 300 s starting deadline, history 3/1, not suspended', () => {
    expect(cron.apiVersion).toBe('batch/v1');
    const { jobTemplate, ...schedule } = cron.spec;
    expect(schedule).toEqual({ schedule: '@daily', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, suspend: false });
    expect(jobTemplate.metadata.labels['app.kubernetes.io/name']).toBe('nightly');
    expect(jobTemplate.spec.backoffLimit).toBe(6);
    expect(jobTemplate.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('keeps the pod restricted, under its own ServiceAccount, and validates strictly', () => {
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(restrictedViolations(pod, 'nightly')).toEqual([]);
    expect(find(objects, 'ServiceAccount').metadata.annotations['eks.amazonaws.com/role-arn']).toContain('role/nightly');
    expect(pod.serviceAccountName).toBe('nightly');
    expect(schemaErrors(objects)).toEqual([]);
  });

  it('offers the schedule and the run as chart values, closed by values.schema.json', () => {
    const files = renderChart(loadSpecText(CRON, 'x.yaml')[0].model);
    const values = files['nightly/values.yaml'];
    expect(values).toMatch(/^cronJob:\n(  .*\n)*  schedule: "?@daily"?\n/m);
    expect(values).toMatch(/^job:\n(  .*\n)*  backoffLimit: 6\n/m);
    const schema = JSON.parse(files['nightly/values.schema.json']);
    expect(schema.properties.cronJob.properties.concurrencyPolicy.enum).toEqual(['Allow', 'Forbid', 'Replace']);
    expect(schema.properties.cronJob.properties.timeZone.not).toEqual({ const: 'Local' });
    expect(schema.properties.job.properties.restartPolicy.enum).toEqual(['Never', 'OnFailure']);
    expect(schema.properties.cronJob.additionalProperties).toBe(false);
  });
});

describe('cron schedules and time zones', () => {
  const good = ['* * * * *', '0 3 * * *', '*/15 9-17 * * MON-FRI', '0 0 1,15 * ?', '5 4 * JAN,jul sun', '0 22 * * 1-5', '30 2 L-1 * *'.replace('L-1', '28'), '@hourly', '@weekly', '0 0 29 2 *', '10-50/10 * * * *'];
  const bad: [string, RegExp][] = [
    ['* * * *', /has 4 fields/],
    ['* * * * * *', /has 6 fields/],
    ['60 * * * *', /field 1 \(minute\) "60" has "60" outside 0-59/],
    ['* 24 * * *', /field 2 \(hour\)/],
    ['* * 0 * *', /field 3 \(day of month\)/],
    ['* * * 13 *', /field 4 \(month\)/],
    ['* * * * 7', /field 5 \(day of week\) "7" has "7" outside 0-6 or SUN-SAT/],
    ['*/0 * * * *', /step 0/],
    ['5-1 * * * *', /runs backwards/],
    ['@every 1h', /not a known descriptor/],
    ['@reboot', /not a known descriptor/],
    ['TZ=UTC 0 3 * * *', /use cronJob\.timeZone/],
    ['? * * * *', /field 1 \(minute\)/],
    ['a b c d e', /field 1/],
  ];
  it.each(good)('accepts %s', (s) => expect(cronProblem(s)).toBeUndefined());
  it.each(bad)('refuses %s', (s, re) => expect(cronProblem(s)).toMatch(re));
  it.each(['Etc/UTC', 'UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+1', 'US/Eastern', 'EST5EDT', 'Asia/Calcutta'])('accepts the time zone %s', (z) => expect(timeZoneProblem(z)).toBeUndefined());
  it.each([['Local', /Local/], ['Mars/Olympus', /not an IANA time zone/], ['europe/berlin', /must be written "Europe\/Berlin"/], ['+01:00', /not an IANA/], ['ETC/UTC', /not spelled as in the IANA time zone database \("ETC"/], ['us/Eastern', /not spelled as in the IANA/]] as [string, RegExp][])('refuses the time zone %s', (z, re) => expect(timeZoneProblem(z)).toMatch(re));
});
