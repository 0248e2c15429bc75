/**
 * Checker exemptions (kube-linter, kube-score, Polaris) that follow from Slipway's own decisions,
 * each with its reason, in the checkers' documented annotation forms:
 *   kube-linter `ignore-check.kube-linter.io/<check>: <reason>`
 *   kube-score  `kube-score/ignore: <check>,...` with `slipway.dev/exemption.<check>: <reason>`
 *   Polaris     `polaris.fairwinds.com/<check>-exempt: "true"` with `slipway.dev/exemption.<check>: <reason>`
 * Only named security exceptions (and facts of the workload kind) produce them: nothing is exempted silently.
 */
import type { ApiObject } from 'cdk8s';
import type { RenderContext } from './context';
import type { CheckModel, ServiceModel } from '../model/types';
import { choiceExemptions } from './choice-exemptions';
import { lowestPrivilegedPort, UNPRIVILEGED_PORT_SYSCTL } from './container';

/** One exemption: checker, check id, reason. */
export interface Exemption {
  readonly checker: 'kube-linter' | 'kube-score' | 'polaris';
  readonly check: string;
  readonly reason: string;
}

/** kube-linter's default `sensitive-host-mounts` directories. */
const SENSITIVE = /^\/(boot|dev|etc|lib|proc|sys|usr)?$/;

/** Exemptions implied by the service's named security exceptions and its workload kind. */
export function workloadExemptions(m: ServiceModel): Exemption[] {
  const out: Exemption[] = [];
  for (const e of m.pod.exceptions) {
    const reason = `security exception ${e.name}: ${e.reason}`;
    for (const allow of e.allow) {
      if (allow === 'runAsRoot') {
        out.push({ checker: 'kube-linter', check: 'run-as-non-root', reason }, { checker: 'polaris', check: 'runAsRootAllowed', reason },
          { checker: 'kube-score', check: 'container-security-context-user-group-id', reason });
      } else if (allow === 'hostNetwork') {
        out.push({ checker: 'kube-linter', check: 'host-network', reason }, { checker: 'polaris', check: 'hostNetworkSet', reason });
      } else if (allow === 'hostPort') {
        out.push({ checker: 'polaris', check: 'hostPortSet', reason });
      } else if (allow === 'hostPath') {
        out.push({ checker: 'polaris', check: 'hostPathSet', reason });
        const paths = m.pod.hostPaths;
        if (paths.some((h) => SENSITIVE.test(h.path.replace(/\/+$/, '')))) out.push({ checker: 'kube-linter', check: 'sensitive-host-mounts', reason });
        if (paths.some((h) => /docker\.sock$/.test(h.path))) out.push({ checker: 'kube-linter', check: 'docker-sock', reason });
        if (paths.some((h) => !h.readOnly)) out.push({ checker: 'kube-linter', check: 'writable-host-mount', reason });
      }
    }
  }
  out.push(...idExemptions(m));
  const low = lowestPrivilegedPort(m);
  if (low !== undefined) {
    out.push({ checker: 'kube-linter', check: 'unsafe-sysctls', reason: `${UNPRIVILEGED_PORT_SYSCTL}=${low} lets the non-root containers bind port ${low} (NET_BIND_SERVICE gives a non-root process no ambient capability); it is a safe sysctl since Kubernetes 1.22, allowed by Pod Security restricted` });
  }
  const spread = m.pod.spread;
  if ((m.workload.kind === 'Deployment' || m.workload.kind === 'StatefulSet') && spread.enabled && spread.topologyKeys.includes('kubernetes.io/hostname')) {
    const reason = 'pods are spread over nodes by a topologySpreadConstraint on kubernetes.io/hostname instead of pod anti-affinity';
    const score = m.workload.kind === 'Deployment' ? 'deployment-has-host-podantiaffinity' : 'statefulset-has-host-podantiaffinity';
    out.push({ checker: 'kube-linter', check: 'no-anti-affinity', reason }, { checker: 'kube-score', check: score, reason });
  }
  const h = m.container.health;
  const sameEndpoint = (a: CheckModel, b: CheckModel) => a.type === 'http' && b.type === 'http' && a.path === b.path && a.port === b.port;
  if (h?.liveness?.enabled && h.readiness?.enabled && sameEndpoint(h.liveness.check, h.readiness.check)) {
    out.push({ checker: 'kube-score', check: 'pod-probes-identical', reason: 'liveness and readiness share an endpoint but differ in headers or timings (Slipway rejects truly identical probes); kube-score compares only path and port' });
  }
  out.push(...choiceExemptions(m));
  if (m.workload.kind === 'Job' && m.workload.job?.ttlSecondsAfterFinished === undefined) {
    out.push({ checker: 'kube-linter', check: 'job-ttl-seconds-after-finished', reason: 'a one-off Job is kept after it finishes (workload.job.ttlSecondsAfterFinished unset): once deleted, Argo CD or helm upgrade would create it again and run it again' });
  }
  if (m.workload.kind === 'DaemonSet') {
    out.push({ checker: 'polaris', check: 'topologySpreadConstraint', reason: 'a DaemonSet runs one pod per node: there is nothing to spread' });
  }
  return out;
}

/** kube-score wants uid and gid above 10000; a lower one chosen in the spec matches the image's USER. */
export function idExemptions(m: ServiceModel): Exemption[] {
  const { runAsUser, runAsGroup } = m.container;
  if (m.pod.exceptions.some((e) => e.allow.includes('runAsRoot')) || (runAsUser > 10000 && runAsGroup > 10000)) return [];
  return [{ checker: 'kube-score', check: 'container-security-context-user-group-id', reason: `uid/gid ${runAsUser}/${runAsGroup} set in the spec (security.runAsUser/runAsGroup) to match the image's numeric USER` }];
}

/** Writes exemptions as annotations on an object's metadata (merging with a `kube-score/ignore` already there). */
export function annotateExemptions(obj: ApiObject, exemptions: readonly Exemption[]): void {
  const current = obj.metadata.toJson().annotations ?? {};
  const scoreIgnored = new Set<string>((current['kube-score/ignore'] ?? '').split(',').map((s: string) => s.trim()).filter(Boolean));
  const seen = new Set<string>();
  for (const x of exemptions) {
    if (seen.has(`${x.checker}/${x.check}`)) continue;
    seen.add(`${x.checker}/${x.check}`);
    if (x.checker === 'kube-linter') {
      obj.metadata.addAnnotation(`ignore-check.kube-linter.io/${x.check}`, x.reason);
      continue;
    }
    obj.metadata.addAnnotation(`slipway.dev/exemption.${x.check}`, x.reason);
    if (x.checker === 'polaris') obj.metadata.addAnnotation(`polaris.fairwinds.com/${x.check}-exempt`, 'true');
    else scoreIgnored.add(x.check);
  }
  if (scoreIgnored.size) obj.metadata.addAnnotation('kube-score/ignore', [...scoreIgnored].join(','));
}

const HPA_CHECK = 'deploymentMissingReplicas';

/**
 * Polaris wants a static replica count >= 2, kube-score flags one under an HPA: while the HPA is
 * on, Slipway sets no replicas and exempts the Deployment from Polaris' check, with the reason.
 * In the chart both annotations follow `autoscaling.enabled`.
 */
export function exemptReplicasUnderHpa(ctx: RenderContext, workload: ApiObject): void {
  const m = ctx.model;
  if (m.workload.kind !== 'Deployment') return;
  if (!m.scaling.autoscaling.enabled && ctx.mode === 'manifests') return;
  // replicas < 2 chosen in the spec carries its own (unconditional) exemption: see choice-exemptions.ts.
  if (!m.scaling.autoscaling.enabled && m.scaling.replicas < 2) return;
  annotateExemptions(workload, [{ checker: 'polaris', check: HPA_CHECK, reason: 'the HorizontalPodAutoscaler owns the replica count (minReplicas), so the Deployment sets none' }]);
  const condition = { key: 'autoscaling.enabled' };
  ctx.rec.attach(workload, [`polaris.fairwinds.com~1${HPA_CHECK}-exempt`, `slipway.dev~1exemption.${HPA_CHECK}`]
    .map((key) => ({ kind: 'when' as const, path: `/metadata/annotations/${key}`, condition })));
}
