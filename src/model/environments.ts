/**
 * Environments: each `environments.<name>` of a spec is a small set of typed overrides of the base
 * spec (see EnvironmentSpec). An environment's model is the base spec with those overrides applied,
 * resolved by the same resolver as the base, so it meets every rule the base does. Problems found
 * in an environment are located at the override that caused them and name the base field it
 * changes. Unknown override keys are refused by the schema.
 */
import type { ServiceSpec, EnvironmentSpec, EnvironmentClusterSpec } from '../spec/types';
import type { FieldPath } from '../spec/errors';
import { formatPath, SpecError } from '../spec/errors';
import type { ServiceModel } from './types';
import { Problems } from './problems';
import { resolveService, type ResolveContext } from './resolve';
import { dns1123Label } from './k8s-rules';

/** Names an environment may not have: `argocd` is the output directory of the Applications. */
export const RESERVED_ENVIRONMENT_NAMES: readonly string[] = ['argocd'];

/** One resolved environment of a service. */
export interface EnvironmentModel {
  /** The environment's name (a DNS label), e.g. `prod`. */
  readonly name: string;
  /** Namespace of the service in this environment. @default the environment's name */
  readonly namespace: string;
  /** Clusters it deploys to. @default [] (the cluster Argo CD runs in) */
  readonly clusters: readonly EnvironmentClusterSpec[];
  /** The service's model in this environment. */
  readonly model: ServiceModel;
}

/** A base field an override replaces, and where the override is. */
interface Changed {
  readonly base: FieldPath;
  readonly at: FieldPath;
}

/** The spec of one environment: the base with the overrides applied, and which base fields they change. */
export function environmentSpec(spec: ServiceSpec, name: string, o: EnvironmentSpec, problems: Problems): { spec: ServiceSpec; changed: Changed[] } {
  const at: FieldPath = ['environments', name];
  const s: ServiceSpec = structuredClone(spec);
  delete s.environments;
  for (const k of Object.keys(s)) if (k.startsWith('x-')) delete (s as unknown as Record<string, unknown>)[k];
  const changed: Changed[] = [];
  const change = (base: FieldPath, key: string) => changed.push({ base, at: [...at, key] });
  if (o.replicas !== undefined && o.autoscaling !== undefined) {
    problems.add([...at, 'replicas'], 'is fixed while `autoscaling` is set in the same environment: keep one of them');
  }
  if (o.replicas !== undefined) {
    s.replicas = o.replicas;
    if (s.autoscaling) s.autoscaling = { ...s.autoscaling, enabled: false };
    change(['replicas'], 'replicas');
  }
  if (o.autoscaling !== undefined) {
    s.autoscaling = o.autoscaling;
    delete s.replicas;
    change(['autoscaling'], 'autoscaling');
  }
  if (o.resources !== undefined) {
    s.resources = o.resources;
    change(['resources'], 'resources');
  }
  if (o.ingress !== undefined) {
    if (!s.ingress) problems.add([...at, 'ingress'], 'changes `ingress`, which the base spec does not declare: declare `ingress` in the base spec (an environment only changes its hosts and TLS)');
    else {
      s.ingress = { ...s.ingress, ...(o.ingress.hosts ? { hosts: o.ingress.hosts } : {}), ...(o.ingress.tls ? { tls: o.ingress.tls } : {}) };
      change(['ingress'], 'ingress');
    }
  }
  if (o.httpRoute !== undefined) {
    if (!s.httpRoute) problems.add([...at, 'httpRoute'], 'changes `httpRoute`, which the base spec does not declare: declare `httpRoute` in the base spec (an environment only changes its host names)');
    else {
      s.httpRoute = { ...s.httpRoute, hostnames: o.httpRoute.hostnames };
      changed.push({ base: ['httpRoute', 'hostnames'], at: [...at, 'httpRoute', 'hostnames'] });
    }
  }
  if (o.secretStore !== undefined) {
    const external = (s.secrets ?? []).filter((x) => x.external);
    if (!external.length) problems.add([...at, 'secretStore'], 'changes the store of `secrets[].external`, but the base spec has no external secret: remove `secretStore`, or declare the secret with `external` in the base spec');
    (s.secrets ?? []).forEach((x, i) => {
      if (!x.external) return;
      x.external = { ...x.external, store: o.secretStore!.name, ...(o.secretStore!.kind ? { storeKind: o.secretStore!.kind } : {}) };
      changed.push({ base: ['secrets', i, 'external', 'store'], at: [...at, 'secretStore', 'name'] });
      changed.push({ base: ['secrets', i, 'external', 'storeKind'], at: [...at, 'secretStore', 'kind'] });
    });
  }
  if (o.image !== undefined) {
    s.image = { ...s.image, ...o.image };
    for (const k of Object.keys(o.image)) changed.push({ base: ['image', k], at: [...at, 'image', k] });
  }
  if (o.env !== undefined) {
    if (!Object.keys(s.config?.env ?? {}).length) {
      problems.add([...at, 'env'], 'adds to `config.env`, which is empty in the base spec, so the chart has no ConfigMap for it: declare `config.env` in the base spec (with its default values) and override keys here');
    }
    s.config = { ...s.config, env: { ...s.config?.env, ...o.env } };
    for (const k of Object.keys(o.env)) changed.push({ base: ['config', 'env', k], at: [...at, 'env', k] });
  }
  return { spec: s, changed };
}

/** Where a problem of an environment's spec is, and what it says: at the override, naming the base field. */
function relocate(name: string, path: FieldPath, message: string, changed: readonly Changed[]): { path: FieldPath; message: string } {
  const hit = changed
    .filter((c) => c.base.length <= path.length && c.base.every((seg, i) => seg === path[i]))
    .sort((a, b) => b.base.length - a.base.length)[0];
  if (hit) return { path: [...hit.at, ...path.slice(hit.base.length)], message: `${message} (environment "${name}" changes \`${formatPath(path)}\`)` };
  return { path: ['environments', name], message: `in this environment, \`${formatPath(path)}\` ${message}` };
}

/** Resolves every environment of a schema-valid spec whose base resolved; problems are located at the overrides. */
export function resolveEnvironments(spec: ServiceSpec, base: ServiceModel, ctx: ResolveContext = {}): { environments: EnvironmentModel[]; problems: Problems } {
  const problems = new Problems();
  const environments: EnvironmentModel[] = [];
  const entries = Object.entries(spec.environments ?? {});
  if (entries.length && base.workload.kind === 'Sidecar') {
    problems.add(['environments'], 'a Sidecar renders with its host: declare `environments` on the host service instead');
    return { environments, problems };
  }
  for (const [name, o] of entries) {
    const at: FieldPath = ['environments', name];
    const bad = dns1123Label(name);
    if (bad) problems.add(at, `environment name ${bad} (it is a directory and part of object names)`, true);
    else if (RESERVED_ENVIRONMENT_NAMES.includes(name)) problems.add(at, `environment name "${name}" is reserved (dist/${name}/ holds the Argo CD Applications): choose another name`, true);
    const clusters = o.clusters ?? [];
    clusters.forEach((c, i) => {
      const badName = dns1123Label(c.name);
      if (badName) problems.add([...at, 'clusters', i, 'name'], badName);
      if (clusters.findIndex((d) => d.name === c.name) !== i) problems.add([...at, 'clusters', i, 'name'], `"${c.name}" is listed twice: give each cluster its own name`);
      if (c.server !== undefined && !/^https:\/\/[^\s]+$/.test(c.server)) problems.add([...at, 'clusters', i, 'server'], 'must be the cluster API server URL as registered in Argo CD (https://...)');
    });
    const before = problems.all.length;
    const { spec: envSpec, changed } = environmentSpec(spec, name, o, problems);
    if (problems.all.length > before) continue;
    const { model, problems: envProblems } = resolveService(envSpec, ctx);
    for (const p of envProblems.all) {
      const r = relocate(name, p.path, p.message, changed);
      problems.add(r.path, r.message);
    }
    if (model) environments.push({ name, namespace: o.namespace ?? name, clusters, model });
  }
  return { environments, problems };
}

/**
 * The spec of one environment of a spec (its overrides applied, `environments` and `x-` fields
 * removed), e.g. for a `SlipwayService` construct per environment in a cdk8s app. Throws a
 * SpecError naming `source` and the override when the environment is unknown or an override is bad.
 */
export function environmentProps(spec: ServiceSpec, env: string, source = 'props'): ServiceSpec {
  const o = Object.prototype.hasOwnProperty.call(spec.environments ?? {}, env) ? spec.environments![env] : undefined;
  if (!o) {
    const known = Object.keys(spec.environments ?? {});
    throw new SpecError([{ file: source, path: 'environments', message: `has no environment "${env}" (declared: ${known.length ? known.join(', ') : 'none'})` }]);
  }
  const problems = new Problems();
  const { spec: out } = environmentSpec(spec, env, o, problems);
  if (problems.all.length) throw new SpecError(problems.all.map((p) => ({ file: source, path: formatPath(p.path), message: p.message })));
  return out;
}
