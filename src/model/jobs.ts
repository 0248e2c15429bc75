/**
 * One-off and scheduled workers (`workload.kind: Job | CronJob`): their run and schedule settings
 * with defaults applied, and what does not apply to a pod that runs to completion (no Service,
 * routes, HPA, PDB, probes or rollout strategy). Each problem names the field to change.
 */
import type { ServiceSpec } from '../spec/types';
import type { CronJobModel, JobModel, WorkloadKind } from './types';
import type { Problems } from './problems';
import { cronProblem, timeZoneProblem } from './cron';

/** Defaults of a run and a schedule (documented on the spec fields and in docs/workload-variants.md). */
export const JOB_DEFAULTS = {
  backoffLimit: 6,
  restartPolicy: 'Never',
  timeZone: 'Etc/UTC',
  concurrencyPolicy: 'Forbid',
  startingDeadlineSeconds: 300,
  successfulJobsHistoryLimit: 3,
  failedJobsHistoryLimit: 1,
} as const;

/** True for the kinds whose pods run to completion. */
export function runsToCompletion(kind: WorkloadKind): kind is 'Job' | 'CronJob' {
  return kind === 'Job' || kind === 'CronJob';
}

/** The run and schedule of a Job / CronJob (both undefined for other kinds); problems are added. */
export function resolveJobWorkload(spec: ServiceSpec, kind: WorkloadKind, problems: Problems): { job?: JobModel; cronJob?: CronJobModel } {
  const w = spec.workload ?? {};
  if (!runsToCompletion(kind)) {
    if (w.job) problems.add(['workload', 'job'], `applies only to workload.kind: Job or CronJob (this is a ${kind})`);
    if (w.cronJob) problems.add(['workload', 'cronJob'], `applies only to workload.kind: CronJob (this is a ${kind})`);
    return {};
  }
  checkNotApplicable(spec, kind, problems);
  const j = w.job ?? {};
  const job: JobModel = {
    backoffLimit: j.backoffLimit ?? JOB_DEFAULTS.backoffLimit,
    restartPolicy: j.restartPolicy ?? JOB_DEFAULTS.restartPolicy,
    ...(j.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: j.activeDeadlineSeconds } : {}),
    ...(j.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: j.ttlSecondsAfterFinished } : {}),
  };
  if (kind === 'Job') {
    if (w.cronJob) problems.add(['workload', 'cronJob'], 'applies only to workload.kind: CronJob: set kind: CronJob to run on a schedule, or remove cronJob');
    return { job };
  }
  if (j.ttlSecondsAfterFinished !== undefined) {
    problems.add(['workload', 'job', 'ttlSecondsAfterFinished'], 'does not apply to a CronJob: its successfulJobsHistoryLimit and failedJobsHistoryLimit (workload.cronJob) clean up finished runs, and a TTL would race them. Remove it');
  }
  const c = w.cronJob;
  if (!c) {
    problems.add(['workload'], 'is a CronJob without a schedule: add cronJob: { schedule: "0 3 * * *" } (five cron fields or @daily, @hourly, ...)');
    return { job };
  }
  const schedule = cronProblem(c.schedule);
  if (schedule) problems.add(['workload', 'cronJob', 'schedule'], schedule);
  const timeZone = c.timeZone ?? JOB_DEFAULTS.timeZone;
  const tz = timeZoneProblem(timeZone);
  if (tz) problems.add(['workload', 'cronJob', 'timeZone'], tz);
  const cronJob: CronJobModel = {
    schedule: c.schedule.trim(),
    timeZone,
    concurrencyPolicy: c.concurrencyPolicy ?? JOB_DEFAULTS.concurrencyPolicy,
    startingDeadlineSeconds: c.startingDeadlineSeconds ?? JOB_DEFAULTS.startingDeadlineSeconds,
    successfulJobsHistoryLimit: c.successfulJobsHistoryLimit ?? JOB_DEFAULTS.successfulJobsHistoryLimit,
    failedJobsHistoryLimit: c.failedJobsHistoryLimit ?? JOB_DEFAULTS.failedJobsHistoryLimit,
    suspend: c.suspend ?? false,
  };
  return { job, cronJob };
}

/** Fields of a long-running service that a pod running to completion cannot use. */
function checkNotApplicable(spec: ServiceSpec, kind: 'Job' | 'CronJob', problems: Problems): void {
  const a = `a ${kind}`;
  const why: [keyof ServiceSpec, string][] = [
    ['ports', `a ${kind}'s pods run to completion and nothing connects to them: remove ports (a worker that serves traffic is a Deployment)`],
    ['service', `has no pods to route to in ${a}: remove service`],
    ['ingress', `routes to a Service, which ${a} does not have: remove ingress (or make this a Deployment)`],
    ['httpRoute', `routes to a Service, which ${a} does not have: remove httpRoute (or make this a Deployment)`],
    ['autoscaling', `does not apply to ${a} (it runs one pod per run): remove autoscaling`],
    ['replicas', `does not apply to ${a} (it runs one pod per run): remove replicas`],
    ['pdb', `does not apply to ${a}: a disruption budget would block node drains for a run that retries anyway. Remove pdb`],
    ['spread', `does not apply to ${a} (one pod per run): remove spread`],
    ['health', `does not apply to ${a}: its pods are never routed to, and a run that hangs is ended by workload.job.activeDeadlineSeconds. Remove health`],
    ['metrics', `does not apply to ${a}: nothing scrapes a pod that runs to completion (push to a Pushgateway instead). Remove metrics`],
    ['migration', `does not apply to ${a}: run the migration as the first step of the job's command. Remove migration`],
  ];
  for (const [field, message] of why) {
    if (spec[field] !== undefined) problems.add([field], message);
  }
  if (spec.workload?.updateStrategy) problems.add(['workload', 'updateStrategy'], `does not apply to ${a}: each run starts with the current pod template. Remove updateStrategy`);
  if (spec.shutdown?.preStopSleepSeconds !== undefined) problems.add(['shutdown', 'preStopSleepSeconds'], `does not apply to ${a}: nothing routes to its pods, so there is no traffic to drain. Remove it`);
}
