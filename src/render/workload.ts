import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { metadata, recordMetadata, selectorLabels, type RenderContext } from './context';
import type { Binding } from './recorder';
import { podTemplate } from './pod';
import { renderJobWorkload } from './job';
import { statefulSetFields } from './statefulset';

/** The Deployment, DaemonSet, Job or CronJob running the service. Returns it (a sidecar host may extend it). */
export function renderWorkload(scope: Construct, ctx: RenderContext): ApiObject | undefined {
  const m = ctx.model;
  const kind = m.workload.kind;
  if (kind === 'Sidecar') return undefined;
  if (kind === 'Job' || kind === 'CronJob') return renderJobWorkload(scope, ctx);
  const bs: Binding[] = [];
  const rec = ctx.rec;
  recordMetadata(ctx, bs);
  rec.include(bs, '/spec/selector/matchLabels', 'selectorLabels');
  const template = podTemplate(ctx, bs, '/spec/template');
  const spec: Record<string, unknown> = {
    selector: { matchLabels: selectorLabels(m) },
    template,
  };
  if (kind === 'Deployment') {
    rec.declare('autoscaling.enabled', 'Render a HorizontalPodAutoscaler (replicaCount is then ignored)', m.scaling.autoscaling.enabled);
    if (!m.scaling.autoscaling.enabled || ctx.mode === 'chart') {
      spec.replicas = m.scaling.replicas;
      rec.scalar(bs, '/spec/replicas', 'replicaCount', 'Replicas when autoscaling is disabled');
      rec.when(bs, '/spec/replicas', { key: 'autoscaling.enabled', negate: true });
    }
    spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: m.workload.maxSurge, maxUnavailable: m.workload.maxUnavailable } };
  } else if (kind === 'StatefulSet') {
    Object.assign(spec, statefulSetFields(ctx, bs));
  } else {
    spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: m.workload.maxSurge, maxUnavailable: m.workload.maxUnavailable } };
  }
  if (kind !== 'StatefulSet') rec.block(bs, kind === 'Deployment' ? '/spec/strategy' : '/spec/updateStrategy', 'updateStrategy', 'Rolling update strategy');
  const obj = new ApiObject(scope, 'workload', {
    apiVersion: 'apps/v1',
    kind,
    metadata: metadata(m),
    spec,
  });
  rec.attach(obj, bs);
  rec.fileFor(obj, `${kind.toLowerCase()}.yaml`);
  return obj;
}
