/**
 * The Job or CronJob of a `workload.kind: Job | CronJob` service: the same pod as a Deployment's
 * (PSS restricted, resources, ServiceAccount, config, secrets), with the restart policy of a run
 * and no probes. Helm values: `job.backoffLimit`, `job.restartPolicy` (and `job.activeDeadlineSeconds`,
 * `job.ttlSecondsAfterFinished` when the spec sets them); for a CronJob `cronJob.schedule`,
 * `.timeZone`, `.concurrencyPolicy`, `.startingDeadlineSeconds`, `.successfulJobsHistoryLimit`,
 * `.failedJobsHistoryLimit` and `.suspend`.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { metadata, recordMetadata, standardLabels, type RenderContext } from './context';
import type { Binding } from './recorder';
import { podTemplate } from './pod';

/** Renders the Job / CronJob of the service (the caller checked the kind). */
export function renderJobWorkload(scope: Construct, ctx: RenderContext): ApiObject {
  const m = ctx.model;
  const rec = ctx.rec;
  const kind = m.workload.kind as 'Job' | 'CronJob';
  const job = m.workload.job!;
  const bs: Binding[] = [];
  recordMetadata(ctx, bs);
  // The Job's spec sits at /spec, or at /spec/jobTemplate/spec in a CronJob.
  const at = kind === 'CronJob' ? '/spec/jobTemplate/spec' : '/spec';
  const template = podTemplate(ctx, bs, `${at}/template`);
  (template.spec as Record<string, unknown>).restartPolicy = job.restartPolicy;
  rec.scalar(bs, `${at}/template/spec/restartPolicy`, 'job.restartPolicy', 'Never (a failed pod is replaced) or OnFailure (its container restarts)');

  const jobSpec: Record<string, unknown> = { backoffLimit: job.backoffLimit, template };
  rec.scalar(bs, `${at}/backoffLimit`, 'job.backoffLimit', 'Retries before a run is marked failed');
  if (job.activeDeadlineSeconds !== undefined) {
    jobSpec.activeDeadlineSeconds = job.activeDeadlineSeconds;
    rec.scalar(bs, `${at}/activeDeadlineSeconds`, 'job.activeDeadlineSeconds', 'Seconds a run may take before it is failed');
  }
  if (job.ttlSecondsAfterFinished !== undefined) {
    jobSpec.ttlSecondsAfterFinished = job.ttlSecondsAfterFinished;
    rec.scalar(bs, `${at}/ttlSecondsAfterFinished`, 'job.ttlSecondsAfterFinished', 'Seconds a finished Job is kept');
  }

  let spec: Record<string, unknown> = jobSpec;
  if (kind === 'CronJob') {
    const c = m.workload.cronJob!;
    spec = {
      schedule: c.schedule,
      timeZone: c.timeZone,
      concurrencyPolicy: c.concurrencyPolicy,
      startingDeadlineSeconds: c.startingDeadlineSeconds,
      successfulJobsHistoryLimit: c.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: c.failedJobsHistoryLimit,
      suspend: c.suspend,
      jobTemplate: { metadata: { labels: standardLabels(m) }, spec: jobSpec },
    };
    rec.include(bs, '/spec/jobTemplate/metadata/labels', 'labels');
    rec.scalar(bs, '/spec/schedule', 'cronJob.schedule', 'Cron schedule (five fields or @daily, @hourly, ...)');
    rec.scalar(bs, '/spec/timeZone', 'cronJob.timeZone', 'IANA time zone the schedule is read in');
    rec.scalar(bs, '/spec/concurrencyPolicy', 'cronJob.concurrencyPolicy', 'Forbid, Replace or Allow overlapping runs');
    rec.scalar(bs, '/spec/startingDeadlineSeconds', 'cronJob.startingDeadlineSeconds', 'Seconds a missed run may still start');
    rec.scalar(bs, '/spec/successfulJobsHistoryLimit', 'cronJob.successfulJobsHistoryLimit', 'Finished successful runs kept');
    rec.scalar(bs, '/spec/failedJobsHistoryLimit', 'cronJob.failedJobsHistoryLimit', 'Finished failed runs kept');
    rec.scalar(bs, '/spec/suspend', 'cronJob.suspend', 'Start no new runs');
  }
  const obj = new ApiObject(scope, 'workload', { apiVersion: 'batch/v1', kind, metadata: metadata(m), spec });
  rec.attach(obj, bs);
  rec.fileFor(obj, `${kind.toLowerCase()}.yaml`);
  return obj;
}
