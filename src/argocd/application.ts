/**
 * Argo CD Applications for a service (`gitops.argocd` in the spec): one per environment and
 * cluster (one per service without environments), written to `argocd/<env>/<fullname>.yaml`
 * (`argocd/<fullname>.yaml` without environments) under the output directory, so that an
 * app-of-apps can sync each environment's directory. Each points at the service's chart with the
 * environment's values file (`source: chart`, the default) or at its plain manifests, and carries:
 * - destination: the cluster by `server` URL or Argo CD cluster `name` (default: the cluster Argo
 *   CD runs in, https://kubernetes.default.svc) and the environment's namespace;
 * - syncPolicy: `CreateNamespace=true` and `ServerSideApply=true`; automated prune/selfHeal only
 *   when asked for; `managedNamespaceMetadata` with the Pod Security labels the pods need
 *   (restricted, or the level a named security exception needs, e.g. privileged for a node agent);
 * - ignoreDifferences only for fields the cluster defaults and Slipway does not write: an
 *   ExternalSecret's `target.deletionPolicy` (its CRD's default).
 * Deterministic: no timestamps, stable order (environments as declared, clusters as listed).
 */
import type { LoadedService } from '../spec/load';
import type { ArgoCdSpec } from '../spec/types';
import type { ServiceModel } from '../model/types';
import type { EnvironmentModel } from '../model/environments';
import { podSecurityLevel } from '../render/container';
import { toYamlStream } from '../app/manifests';
import { ARGOCD_DIR } from '../app/layout-check';
import { applicationSet } from './application-set';

/** Defaults of `gitops.argocd` (documented on ArgoCdSpec and in docs/argocd.md). */
export const ARGOCD_DEFAULTS = {
  targetRevision: 'HEAD',
  path: 'dist',
  project: 'default',
  namespace: 'argocd',
  source: 'chart' as const,
  inClusterServer: 'https://kubernetes.default.svc',
};

/**
 * Fields of an ExternalSecret (external-secrets.io/v1) that its CRD defaults and Slipway leaves
 * out: only `target.deletionPolicy` (Slipway writes `creationPolicy`; v1 defaults no remoteRef
 * strategy). test/cluster/argocd.test.ts checks this list against what a real API server adds.
 */
const EXTERNAL_SECRET_DEFAULTED = ['.spec.target.deletionPolicy'];

/** Joins repository path segments (no leading or doubled slashes). */
function repoPath(...parts: string[]): string {
  return parts.flatMap((p) => p.split('/')).filter((p) => p && p !== '.').join('/');
}

/** One Application. `env` undefined: the service without environments (the chart's default values). */
export function application(svc: LoadedService, a: ArgoCdSpec, env: EnvironmentModel | undefined, cluster: { name: string; server?: string } | undefined): Record<string, unknown> {
  const base = svc.model;
  const m: ServiceModel = env?.model ?? base;
  const root = a.path ?? ARGOCD_DEFAULTS.path;
  const name = [base.fullname, env?.name, cluster?.name].filter(Boolean).join('-');
  const source = (a.source ?? ARGOCD_DEFAULTS.source) === 'chart'
    ? {
        repoURL: a.repoURL,
        targetRevision: a.targetRevision ?? ARGOCD_DEFAULTS.targetRevision,
        path: repoPath(root, base.fullname, 'chart', base.name),
        helm: { releaseName: base.instance, ...(env ? { valueFiles: [`values-${env.name}.yaml`] } : {}) },
      }
    : {
        repoURL: a.repoURL,
        targetRevision: a.targetRevision ?? ARGOCD_DEFAULTS.targetRevision,
        path: repoPath(root, ...(env ? [env.name] : []), base.fullname, 'manifests'),
        directory: { recurse: false },
      };
  const destination = {
    ...(cluster ? (cluster.server ? { server: cluster.server } : { name: cluster.name }) : { server: ARGOCD_DEFAULTS.inClusterServer }),
    namespace: env?.namespace ?? base.instance,
  };
  const level = podSecurityLevel(m);
  const automated = a.automated ? { automated: { prune: a.automated.prune ?? false, selfHeal: a.automated.selfHeal ?? false } } : {};
  const external = m.secrets.some((s) => s.source.type === 'external');
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name,
      namespace: a.namespace ?? ARGOCD_DEFAULTS.namespace,
      labels: {
        'app.kubernetes.io/name': base.name,
        'app.kubernetes.io/instance': base.instance,
        'app.kubernetes.io/managed-by': 'slipway',
        ...(env ? { 'slipway.dev/environment': env.name } : {}),
        ...(cluster ? { 'slipway.dev/cluster': cluster.name } : {}),
      },
    },
    spec: {
      project: a.project ?? ARGOCD_DEFAULTS.project,
      source,
      destination,
      syncPolicy: {
        ...automated,
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        managedNamespaceMetadata: {
          labels: {
            'pod-security.kubernetes.io/enforce': level,
            'pod-security.kubernetes.io/audit': level,
            'pod-security.kubernetes.io/warn': level,
          },
        },
      },
      ...(external ? { ignoreDifferences: [{ group: 'external-secrets.io', kind: 'ExternalSecret', jqPathExpressions: EXTERNAL_SECRET_DEFAULTED }] } : {}),
    },
  };
}

/** The Applications of a service, grouped by environment (`undefined`: the service has none). */
function applications(svc: LoadedService, a: ArgoCdSpec): { env?: string; apps: Record<string, unknown>[] }[] {
  const envs = svc.environments ?? [];
  if (!envs.length) return [{ apps: [application(svc, a, undefined, undefined)] }];
  return envs.map((env) => ({ env: env.name, apps: (env.clusters.length ? env.clusters : [undefined]).map((c) => application(svc, a, env, c)) }));
}

/**
 * The Argo CD files of a service (relative path -> YAML); none without `gitops.argocd`. One file per
 * environment with its Applications, or, with `applicationSet: true`, one ApplicationSet file.
 */
export function applicationFiles(svc: LoadedService): [string, string][] {
  const a = svc.spec.gitops?.argocd;
  if (!a || svc.model.sidecarOf) return [];
  const groups = applications(svc, a);
  if (a.applicationSet) {
    return [[`${ARGOCD_DIR}/${svc.model.fullname}.yaml`, toYamlStream([applicationSet(svc.model, groups.flatMap((g) => g.apps))])]];
  }
  return groups.map(({ env, apps }) => [env ? `${ARGOCD_DIR}/${env}/${svc.model.fullname}.yaml` : `${ARGOCD_DIR}/${svc.model.fullname}.yaml`, toYamlStream(apps)]);
}
