/**
 * RBAC of the service's ServiceAccount (`rbac`): least privilege by default. A wildcard (`*`, or a
 * `*` inside a resource such as `pods/*`) needs a named security exception allowing
 * `rbacWildcard`; the token is mounted when permissions are granted (explicitly refusing it is a
 * contradiction); a cluster-wide grant names the namespace of its ServiceAccount.
 */
import type { ServiceSpec } from '../spec/types';
import type { RbacModel, WorkloadKind } from './types';
import type { Problems } from './problems';

/** True when the spec's rules use a wildcard anywhere. */
export function rbacHasWildcard(spec: ServiceSpec): boolean {
  return (spec.rbac?.rules ?? []).some((r) => [...r.apiGroups, ...r.resources, ...r.verbs].some((x) => x.includes('*')));
}

/** The RBAC model (undefined without `rbac`); problems are added. */
export function resolveRbac(spec: ServiceSpec, kind: WorkloadKind, problems: Problems): RbacModel | undefined {
  const r = spec.rbac;
  if (!r) return undefined;
  if (kind === 'Sidecar') {
    problems.add(['rbac'], 'does not apply to a Sidecar: it runs under its host\'s ServiceAccount. Declare rbac on the host service');
    return undefined;
  }
  const exceptions = (spec.security?.exceptions ?? []).filter((e) => !e.objects?.length && e.allow.includes('rbacWildcard'));
  r.rules.forEach((rule, i) => {
    for (const field of ['apiGroups', 'resources', 'verbs'] as const) {
      rule[field].forEach((x, j) => {
        if (x.includes('*') && !exceptions.length) {
          problems.add(['rbac', 'rules', i, field, j], `"${x}" is a wildcard: it grants ${field === 'verbs' ? 'every verb' : field === 'apiGroups' ? 'every API group' : 'every resource'}, including ones added later. Name exactly what the service needs, or add a named opt-out under security.exceptions with allow: [rbacWildcard] and a reason`);
        }
      });
    }
    if (rule.resourceNames?.length) {
      const bad = rule.verbs.filter((v) => ['list', 'watch', 'create', 'deletecollection'].includes(v));
      if (bad.length) problems.add(['rbac', 'rules', i, 'resourceNames'], `cannot restrict ${bad.join(', ')}: Kubernetes does not check resourceNames for these verbs (a ${bad[0]} would be refused or unrestricted). Put ${bad.join(', ')} in a rule without resourceNames`);
    }
  });
  if (spec.serviceAccount?.automountToken === false) {
    problems.add(['serviceAccount', 'automountToken'], 'is false, but rbac grants the ServiceAccount permissions its pods could only use with the token: remove automountToken: false (rbac turns it on) or remove rbac');
  }
  const clusterWide = r.clusterWide ?? false;
  if (clusterWide && !r.namespace) problems.add(['rbac', 'clusterWide'], 'needs rbac.namespace: the namespace the service runs in (a ClusterRoleBinding names the ServiceAccount with its namespace)');
  if (!clusterWide && r.namespace) problems.add(['rbac', 'namespace'], 'applies only with clusterWide: true (a RoleBinding binds the ServiceAccount of its own namespace). Remove it');
  return {
    rules: r.rules.map((x) => ({ apiGroups: x.apiGroups, resources: x.resources, verbs: x.verbs, ...(x.resourceNames?.length ? { resourceNames: x.resourceNames } : {}) })),
    clusterWide,
    ...(clusterWide && r.namespace ? { namespace: r.namespace } : {}),
    wildcardExceptions: rbacHasWildcard(spec) ? exceptions.map((e) => e.name) : [],
  };
}
