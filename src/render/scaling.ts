import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { metadata, recordMetadata, selectorLabels, nameExpr, type RenderContext } from './context';
import type { Binding } from './recorder';
import { annotateExemptions } from './exemptions';
import { hpaChoiceExemptions } from './choice-exemptions';

/** The HPA's resource metrics as `<chart>.hpaMetrics` renders them: cpu, then memory, each when set. */
export function hpaMetrics(cpu: number | undefined, memory: number | undefined): Record<string, unknown>[] {
  return ([['cpu', cpu], ['memory', memory]] as const)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization: value } } }));
}

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
  // Both targets are values (null = not used), rendered by `<chart>.hpaMetrics`: a user can add,
  // change or drop either with values, not only the ones the spec named.
  ctx.rec.declare('autoscaling.targetCPUUtilizationPercentage', 'Target average cpu utilization (%); null: no cpu metric', a.targetCPUUtilizationPercentage ?? null);
  ctx.rec.declare('autoscaling.targetMemoryUtilizationPercentage', 'Target average memory utilization (%); null: no memory metric', a.targetMemoryUtilizationPercentage ?? null);
  ctx.rec.include(bs, '/spec/metrics', 'hpaMetrics');
  const metrics = hpaMetrics(a.targetCPUUtilizationPercentage, a.targetMemoryUtilizationPercentage);
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
