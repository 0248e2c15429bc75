import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { metadata, recordMetadata, selectorLabels, nameExpr, type RenderContext } from './context';
import type { Binding } from './recorder';
import { annotateExemptions } from './exemptions';
import { hpaChoiceExemptions } from './choice-exemptions';

/** HorizontalPodAutoscaler autoscaling/v2 on CPU and/or memory (Helm: `autoscaling.*`). */
export function renderHpa(scope: Construct, ctx: RenderContext): void {
  const m = ctx.model;
  if (m.workload.kind !== 'Deployment') return;
  const a = m.scaling.autoscaling;
  const bs: Binding[] = [];
  recordMetadata(ctx, bs);
  ctx.rec.expr(bs, '/spec/scaleTargetRef/name', nameExpr(ctx));
  ctx.rec.scalar(bs, '/spec/minReplicas', 'autoscaling.minReplicas', 'Minimum replicas');
  ctx.rec.scalar(bs, '/spec/maxReplicas', 'autoscaling.maxReplicas', 'Maximum replicas');
  const metrics: Record<string, unknown>[] = [];
  const targets = [['cpu', a.targetCPUUtilizationPercentage, 'targetCPUUtilizationPercentage'], ['memory', a.targetMemoryUtilizationPercentage, 'targetMemoryUtilizationPercentage']] as const;
  for (const [name, value, key] of targets) {
    if (value === undefined) continue;
    ctx.rec.scalar(bs, `/spec/metrics/${metrics.length}/resource/target/averageUtilization`, `autoscaling.${key}`, `Target average ${name} utilization (%)`);
    metrics.push({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization: value } } });
  }
  const obj = new ApiObject(scope, 'hpa', {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadata(m),
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: m.fullname }, minReplicas: a.minReplicas, maxReplicas: a.maxReplicas, metrics },
  });
  annotateExemptions(obj, hpaChoiceExemptions(m));
  ctx.rec.attach(obj, bs);
  ctx.rec.toggle(obj, { key: 'autoscaling.enabled' }, 'hpa.yaml');
}

/** PodDisruptionBudget policy/v1 with unhealthyPodEvictionPolicy (Helm: `pdb.*`). */
export function renderPdb(scope: Construct, ctx: RenderContext): void {
  const m = ctx.model;
  if (m.workload.kind === 'Sidecar' || m.workload.kind === 'Job' || m.workload.kind === 'CronJob') return;
  const p = m.scaling.pdb;
  const bs: Binding[] = [];
  recordMetadata(ctx, bs);
  ctx.rec.declare('pdb.enabled', 'Render a PodDisruptionBudget', p.enabled);
  ctx.rec.include(bs, '/spec/selector/matchLabels', 'selectorLabels');
  const budget = p.minAvailable !== undefined ? { minAvailable: p.minAvailable } : { maxUnavailable: p.maxUnavailable };
  const [field] = Object.keys(budget);
  ctx.rec.scalar(bs, `/spec/${field}`, `pdb.${field}`, `${field} (number or percentage)`);
  ctx.rec.scalar(bs, '/spec/unhealthyPodEvictionPolicy', 'pdb.unhealthyPodEvictionPolicy', 'IfHealthyBudget or AlwaysAllow');
  const obj = new ApiObject(scope, 'pdb', {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(m),
    spec: { selector: { matchLabels: selectorLabels(m) }, ...budget, unhealthyPodEvictionPolicy: p.unhealthyPodEvictionPolicy },
  });
  ctx.rec.attach(obj, bs);
  ctx.rec.toggle(obj, { key: 'pdb.enabled' }, 'pdb.yaml');
}
