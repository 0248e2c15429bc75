/**
 * RBAC of the service's ServiceAccount: a Role and a RoleBinding named after the release (or, with
 * `rbac.clusterWide`, a ClusterRole and ClusterRoleBinding named `<namespace>-<fullname>`, unique
 * in the cluster). Helm values: `rbac.create` (both objects), `rbac.rules`, and with clusterWide
 * `rbac.namespace` (the namespace of the bound ServiceAccount). A wildcard the spec allowed by a
 * named exception carries kube-linter's `wildcard-in-rules` exemption with that reason.
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { metadata, nameExpr, recordMetadata, type RenderContext } from './context';
import type { Binding } from './recorder';
import { valuesRef } from './values-ref';
import { annotateExemptions } from './exemptions';
import { EXCEPTION_ANNOTATION } from './pod';

/** Renders the Role/ClusterRole and its binding when the spec declares `rbac`. */
export function renderRbac(scope: Construct, ctx: RenderContext): void {
  const m = ctx.model;
  const r = m.rbac;
  if (!r) return;
  const rec = ctx.rec;
  rec.declare('rbac.create', 'Create the Role (ClusterRole) and its binding for the ServiceAccount', true);
  const toggle = { key: 'rbac.create' };
  const prefix = r.clusterWide ? 'Cluster' : '';
  const name = r.clusterWide ? `${r.namespace}-${m.fullname}` : m.fullname;
  const nameOf = (bs: Binding[]) => {
    recordMetadata(ctx, bs);
    if (r.clusterWide) rec.expr(bs, '/metadata/name', `printf "%s-%s" ${valuesRef('rbac.namespace')} (${nameExpr(ctx)})`);
  };

  const roleBs: Binding[] = [];
  nameOf(roleBs);
  rec.block(roleBs, '/rules', 'rbac.rules', 'PolicyRules granted to the ServiceAccount (apiGroups, resources, verbs, resourceNames)');
  const role = new ApiObject(scope, 'rbac-role', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: `${prefix}Role`,
    metadata: { ...metadata(m), name },
    rules: r.rules.map((x) => ({ apiGroups: [...x.apiGroups], resources: [...x.resources], verbs: [...x.verbs], ...(x.resourceNames ? { resourceNames: [...x.resourceNames] } : {}) })),
  });
  const reason = `security exception ${r.wildcardExceptions.join(', ')}: ${m.pod.exceptions.filter((e) => r.wildcardExceptions.includes(e.name)).map((e) => e.reason).join('; ')}`;
  if (r.wildcardExceptions.length) annotateExemptions(role, [{ checker: 'kube-linter', check: 'wildcard-in-rules', reason }]);
  for (const e of m.pod.exceptions.filter((x) => r.wildcardExceptions.includes(x.name))) role.metadata.addAnnotation(`${EXCEPTION_ANNOTATION}${e.name}`, `rbacWildcard: ${e.reason}`);
  const bindingExemptions = r.wildcardExceptions.length ? wildcardReach(r.rules).map((check) => ({ checker: 'kube-linter' as const, check, reason })) : [];
  rec.attach(role, roleBs);
  rec.toggle(role, toggle, r.clusterWide ? 'clusterrole.yaml' : 'role.yaml');

  const bindingBs: Binding[] = [];
  nameOf(bindingBs);
  if (r.clusterWide) rec.expr(bindingBs, '/roleRef/name', `printf "%s-%s" ${valuesRef('rbac.namespace')} (${nameExpr(ctx)})`);
  else rec.expr(bindingBs, '/roleRef/name', nameExpr(ctx));
  rec.expr(bindingBs, '/subjects/0/name', `include "${rec.chartName}.serviceAccountName" .`);
  if (r.clusterWide) rec.scalar(bindingBs, '/subjects/0/namespace', 'rbac.namespace', 'Namespace of the ServiceAccount the ClusterRoleBinding names (the release\'s namespace)');
  const binding = new ApiObject(scope, 'rbac-binding', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: `${prefix}RoleBinding`,
    metadata: { ...metadata(m), name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: `${prefix}Role`, name },
    subjects: [{ kind: 'ServiceAccount', name: m.serviceAccount.name, ...(r.clusterWide ? { namespace: r.namespace } : {}) }],
  });
  annotateExemptions(binding, bindingExemptions);
  rec.attach(binding, bindingBs);
  rec.toggle(binding, toggle, r.clusterWide ? 'clusterrolebinding.yaml' : 'rolebinding.yaml');
}

/**
 * kube-linter checks a binding fails only because a rule's resources are a wildcard (`*` reaches
 * secrets and pods): `access-to-secrets` (get, list, watch) and `access-to-create-pods` (create).
 * A rule naming secrets or pods explicitly is not excused.
 */
function wildcardReach(rules: NonNullable<RenderContext['model']['rbac']>['rules']): string[] {
  const wild = rules.filter((x) => x.resources.includes('*'));
  const verbs = new Set(wild.flatMap((x) => x.verbs));
  const any = (vs: string[]) => verbs.has('*') || vs.some((v) => verbs.has(v));
  return [...(any(['get', 'list', 'watch']) ? ['access-to-secrets'] : []), ...(any(['create']) ? ['access-to-create-pods'] : [])];
}
