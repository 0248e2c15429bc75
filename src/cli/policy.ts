import type { FieldPath } from '../spec/errors';
import type { LoadedService } from '../spec/load';
import { NETWORK_RULES, networkWarnings } from './network-warnings';
import { IMAGE_POD_RULES, imagePodWarnings } from './image-pod-warnings';

/**
 * Policy checks: valid specs that are probably a mistake in production. They are warnings:
 * `slipway validate` reports them and fails on them only with `--strict`.
 */
export interface PolicyWarning {
  /** Stable rule id, e.g. `no-probes`. */
  readonly rule: string;
  readonly path: FieldPath;
  readonly message: string;
}

/** Every rule, with what it checks (for docs/cli.md and tests). */
export const POLICY_RULES: Readonly<Record<string, string>> = {
  'no-probes': 'a Deployment, DaemonSet or sidecar without health probes',
  'no-readiness': 'a Service routes to pods whose readiness probe is disabled',
  'mutable-tag': 'the image tag is `latest` and no digest pins it',
  'no-resources': 'no requests/limits (`resources: none`), no requests, or no memory limit',
  'single-replica': 'a Deployment with one replica and no autoscaling',
  'plaintext-secret': 'secret values written in plain text into the output',
  ...NETWORK_RULES,
  ...IMAGE_POD_RULES,
};

/** The policy warnings of one loaded service. */
export function policyWarnings(svc: LoadedService): PolicyWarning[] {
  const m = svc.model;
  const spec = svc.spec;
  const warnings: PolicyWarning[] = [];
  const warn = (rule: string, path: FieldPath, message: string) => warnings.push({ rule, path, message });

  const health = m.container.health;
  const probes = health ? (['startup', 'liveness', 'readiness'] as const).filter((p) => health[p]?.enabled) : [];
  // A Job's or CronJob's pods run to completion: probes do not apply (the spec refuses health).
  if (!probes.length && m.workload.kind !== 'Job' && m.workload.kind !== 'CronJob') {
    const why = 'Kubernetes cannot tell when it is ready or stuck. Declare `health` (http, grpc, tcp or exec)';
    if (health) warn('no-probes', ['health'], `enables no probe: ${why}`);
    else warn('no-probes', [], `service "${m.name}" has no health probes: ${why}`);
  } else if (m.service.enabled && !probes.includes('readiness')) {
    warn('no-readiness', ['health', 'readiness'], 'is disabled while a Service routes traffic: pods get requests before they are ready');
  }

  if (m.image.tag === 'latest' && !m.image.digest) {
    warn('mutable-tag', spec.image.tag !== undefined ? ['image', 'tag'] : ['version'], 'makes the image tag `latest`, which changes under a running Deployment: use a version tag or pin image.digest');
  }

  const res = m.container.resources;
  if (!res) {
    warn('no-resources', ['resources'], 'is none: without requests the scheduler cannot place pods sensibly, without limits one pod can starve its node');
  } else {
    if (!Object.keys(res.requests ?? {}).length) warn('no-resources', ['resources'], 'sets no requests: the scheduler cannot place pods sensibly');
    if (!res.limits?.memory) warn('no-resources', ['resources'], 'sets no memory limit: a leak can take the memory of the whole node');
  }

  if (m.workload.kind === 'Deployment' && !m.scaling.autoscaling.enabled && m.scaling.replicas === 1) {
    warn('single-replica', ['replicas'], 'is 1: the service is down during rollouts and node drains. Use 2 or more, or autoscaling');
  }

  (spec.secrets ?? []).forEach((s, i) => {
    if (s.inline) warn('plaintext-secret', ['secrets', i, 'inline'], `writes the values of secret "${s.name}" in plain text into the output (and your Git repository). Prefer existingSecret or external`);
  });
  warnings.push(...networkWarnings(svc), ...imagePodWarnings(svc));
  return warnings;
}
