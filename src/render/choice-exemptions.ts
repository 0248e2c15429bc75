/**
 * Exemptions for explicit choices in the spec that a checker flags: the spec field is named in the
 * reason. Slipway's defaults never need one (they pass every checker); a value only a user can
 * have written (the defaults differ) is a choice.
 */
import type { Exemption } from './exemptions';
import type { ApiObject } from 'cdk8s';
import type { ServiceModel } from '../model/types';
import type { RenderContext } from './context';
import type { Condition } from './recorder';

/** Exemptions on the workload (Deployment / DaemonSet) for the spec's explicit choices. */
export function choiceExemptions(m: ServiceModel): Exemption[] {
  const out: Exemption[] = [];
  const kind = m.workload.kind;
  if (kind === 'Deployment' && !m.scaling.autoscaling.enabled && m.scaling.replicas < 2) {
    const reason = `replicas: ${m.scaling.replicas} is set in the spec (a single instance by choice); the PodDisruptionBudget still lets a drain evict it`;
    out.push({ checker: 'polaris', check: 'deploymentMissingReplicas', reason }, { checker: 'kube-score', check: 'deployment-replicas', reason });
  }
  if (m.serviceAccount.automountToken) {
    const why = m.rbac && m.serviceAccount.automountToken ? 'rbac is declared in the spec (it turns automountToken on)' : 'serviceAccount.automountToken: true is set in the spec';
    out.push({ checker: 'polaris', check: 'automountServiceAccountToken', reason: `${why}: the service calls the Kubernetes API` });
  }
  const np = m.networkPolicy;
  if (np.enabled && kind !== 'Sidecar') {
    // Polaris' missingNetworkPolicy wants ingress AND egress rules; a direction with none is
    // deny-all, which is stricter, not missing. Only what the spec declares is allowed.
    const noIngress = !np.fromRoutes.length && !np.ingressFrom.length;
    const noEgress = !np.allowDns && !np.egressTo.length;
    if (noIngress || noEgress) {
      const what = [noIngress ? `ingress (${m.container.ports.length ? 'networkPolicy.ingressFrom declares no peer' : 'the pods declare no ports'})` : '', noEgress ? 'egress (networkPolicy.egressTo is empty and allowDns false)' : ''].filter(Boolean).join(' and ');
      out.push({ checker: 'polaris', check: 'missingNetworkPolicy', reason: `the NetworkPolicy selects these pods and denies all ${what}: nothing undeclared may connect` });
    }
  }
  const h = m.container.health;
  if (h) {
    const off = (p: 'liveness' | 'readiness') => h[p] === undefined ? `health.${p} has no check in the spec` : `health.${p}.enabled: false is set in the spec`;
    if (!h.readiness?.enabled) {
      const why = m.service.enabled ? 'a Service routes to these pods (validate warns: no-readiness)' : 'no Service routes to these pods, so readiness gates nothing but rollouts';
      out.push({ checker: 'polaris', check: 'readinessProbeMissing', reason: `${off('readiness')}; ${why}` });
    }
    if (!h.liveness?.enabled) {
      out.push({ checker: 'polaris', check: 'livenessProbeMissing', reason: `${off('liveness')}: the process exits on failure instead of hanging` });
    }
  }
  return out;
}

/** Exemptions on the HorizontalPodAutoscaler for the spec's explicit choices. */
export function hpaChoiceExemptions(m: ServiceModel): Exemption[] {
  const min = m.scaling.autoscaling.minReplicas;
  if (min >= 2) return [];
  const reason = `autoscaling.minReplicas: ${min} is set in the spec (scale down to one pod by choice)`;
  return [{ checker: 'polaris', check: 'hpaMinAvailability', reason }, { checker: 'kube-score', check: 'horizontalpodautoscaler-replicas', reason }];
}

/**
 * In the chart, an exemption that follows a values switch holds only while the switch does: a
 * chart with `networkPolicy.enabled=false` must not still exempt `missingNetworkPolicy`.
 */
export function bindChoiceExemptions(ctx: RenderContext, workload: ApiObject): void {
  // In manifests every switch is at its default, under which each of these conditions holds.
  if (ctx.mode !== 'chart') return;
  const m = ctx.model;
  const present = workload.metadata.toJson().annotations ?? {};
  const followed = new Map<string, Condition>();
  const follow = (check: string, condition: Condition) => {
    const keys = [`polaris.fairwinds.com/${check}-exempt`, `slipway.dev/exemption.${check}`].filter((k) => k in present);
    for (const k of keys) followed.set(k, condition);
    if (keys.length) ctx.rec.attach(workload, keys.map((k) => ({ kind: 'when' as const, path: `/metadata/annotations/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, condition })));
  };
  follow('missingNetworkPolicy', { key: 'networkPolicy.enabled' });
  if (m.serviceAccount.automountToken) {
    ctx.rec.declare('serviceAccount.automountToken', 'Mount the API token into pods', true);
    follow('automountServiceAccountToken', { key: 'serviceAccount.automountToken' });
  }
  const h = m.container.health;
  if (h?.readiness && !h.readiness.enabled) follow('readinessProbeMissing', { key: 'readinessProbe.enabled', negate: true });
  if (h?.liveness && !h.liveness.enabled) follow('livenessProbeMissing', { key: 'livenessProbe.enabled', negate: true });
  // When every annotation follows one switch (e.g. a CronJob's only one is missingNetworkPolicy),
  // the map itself must follow it too: `annotations:` with no entry would render as null.
  const conditions = new Set([...followed.values()].map((c) => JSON.stringify(c)));
  if (Object.keys(present).length && Object.keys(present).every((k) => followed.has(k)) && conditions.size === 1) {
    ctx.rec.attach(workload, [{ kind: 'when', path: '/metadata/annotations', condition: followed.values().next().value! }]);
  }
}
