/**
 * Sidecars: a service's container added to another workload's pods, either as a native sidecar
 * (an init container with `restartPolicy: Always`: started, and its startup probe passed, before
 * the app containers; stopped after them) or as a classic co-container; with shared emptyDir
 * volumes mounted in both. Used for sidecars of the same spec set (`workload.sidecar.host`, see
 * `linkServices`) and, from TypeScript, for your own cdk8s workloads (`addSidecar`).
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import type { ServiceModel } from '../model/types';
import { Recorder, seg, type Binding } from './recorder';
import { nameExpr, type RenderContext } from './context';
import { mainContainer } from './container';
import { podVolumes } from './volumes';
import { configChecksum, renderConfig } from './config';
import { renderInlineSecrets } from './secrets';
import { externalSecretChecksum, renderExternalSecrets } from './external-secret';

/** How a sidecar is attached. */
export interface SidecarOptions {
  /** `native` (init container with restartPolicy Always) or `container`. @default the model's `workload.sidecar.mode`, else "native" */
  readonly mode?: 'native' | 'container';
  /** Volume name -> mount path: emptyDir volumes mounted in the host's containers and the sidecar. @default the model's `workload.sidecar.sharedVolumes` */
  readonly sharedVolumes?: Readonly<Record<string, string>>;
}

/** What a sidecar adds to a pod. */
export interface SidecarParts {
  readonly mode: 'native' | 'container';
  /** The container (with `restartPolicy: Always` when native). */
  readonly container: Record<string, unknown>;
  /** Volumes to add to the pod: the sidecar's own (prefixed `<name>-`) and the shared emptyDirs. */
  readonly volumes: Record<string, unknown>[];
  /** Mounts to add to each of the host's app containers (the shared volumes). */
  readonly hostMounts: { name: string; mountPath: string }[];
}

/** The prefix of a sidecar's own volumes in its host's pod. */
export function sidecarVolumePrefix(sidecar: ServiceModel): string {
  return `${sidecar.container.name}-`;
}

/**
 * The container, volumes and host mounts of a sidecar: the container is exactly the one the
 * sidecar would run as a service (image, env from its own ConfigMap/Secrets, probes, security
 * context with its own uid), with its volumes renamed so they cannot clash with the host's.
 */
export function sidecarParts(sidecar: ServiceModel, options: SidecarOptions = {}): SidecarParts {
  const mode = options.mode ?? sidecar.workload.sidecar?.mode ?? 'native';
  const shared = options.sharedVolumes ?? sidecar.workload.sidecar?.sharedVolumes ?? {};
  const ctx: RenderContext = { model: sidecar, rec: new Recorder(sidecar.name), mode: 'manifests' };
  const built = mainContainer(ctx, [], '');
  const prefix = sidecarVolumePrefix(sidecar);
  const own = podVolumes(sidecar);
  const sharedMounts = Object.entries(shared).map(([name, mountPath]) => ({ name, mountPath }));
  const mounts = [...own.map((v) => ({ ...v.mount, name: prefix + v.mount.name })), ...sharedMounts];
  const { name, ...rest } = built;
  delete rest.volumeMounts;
  const container: Record<string, unknown> = {
    name,
    ...(mode === 'native' ? { restartPolicy: 'Always' } : {}),
    ...rest,
    ...(mounts.length ? { volumeMounts: mounts } : {}),
  };
  return {
    mode,
    container,
    volumes: [...own.map((v) => ({ ...v.volume, name: prefix + (v.volume.name as string) })), ...sharedMounts.map(({ name: n }) => ({ name: n, emptyDir: {} }))],
    hostMounts: sharedMounts,
  };
}

/**
 * Adds the host's attached sidecars (`model.sidecars`) to its pod spec, recording their image
 * and resources as `sidecars.<name>.image` / `.resources`. `path` is the pod spec's pointer.
 */
export function addSidecarsToPod(ctx: RenderContext, pod: Record<string, unknown>, bs: Binding[], path: string): void {
  const appContainers = [...((pod.containers as Record<string, unknown>[] | undefined) ?? [])];
  for (const sidecar of ctx.model.sidecars ?? []) {
    const parts = sidecarParts(sidecar);
    const field = parts.mode === 'native' ? 'initContainers' : 'containers';
    const list = ((pod[field] as Record<string, unknown>[] | undefined) ?? []);
    pod[field] = list;
    const at = `${path}/${field}/${list.length}`;
    list.push(parts.container);
    const volumes = (pod.volumes as unknown[] | undefined) ?? [];
    bindSidecarNames(ctx, bs, at, parts.container, sidecar);
    bindSidecarNames(ctx, bs, `${path}/volumes`, [...volumes.map(() => null), ...parts.volumes], sidecar);
    pod.volumes = [...volumes, ...parts.volumes];
    for (const c of appContainers) {
      if (!parts.hostMounts.length) continue;
      c.volumeMounts = [...((c.volumeMounts as unknown[] | undefined) ?? []), ...parts.hostMounts];
    }
    const key = `sidecars.${sidecar.name}`;
    ctx.rec.scalar(bs, `${at}/image`, `${key}.image`, `Image of the "${sidecar.name}" sidecar`);
    if (parts.container.resources) ctx.rec.block(bs, `${at}/resources`, `${key}.resources`, `Requests and limits of the "${sidecar.name}" sidecar`);
  }
}

/**
 * The attached sidecars' own ConfigMaps, inline Secrets and ExternalSecrets, rendered with their
 * host so the host's objects are self-contained. They keep the sidecar's names and labels and are
 * fixed in the host's chart (their values belong to the sidecar's spec).
 */
export function renderSidecarResources(scope: Construct, ctx: RenderContext): void {
  for (const sidecar of ctx.model.sidecars ?? []) {
    const inner = new Construct(scope, `sidecar-${sidecar.name}`);
    const own: RenderContext = { model: sidecar, rec: new Recorder(sidecar.name), mode: 'manifests' };
    renderConfig(inner, own);
    renderInlineSecrets(inner, own);
    renderExternalSecrets(inner, own);
    for (const obj of inner.node.findAll()) {
      if (!(obj instanceof ApiObject)) continue;
      ctx.rec.fileFor(obj, `sidecar-${sidecar.name}-${own.rec.fileOf(obj) ?? `${obj.kind.toLowerCase()}.yaml`}`);
      // Names and the instance label follow the host's release in the chart.
      const bs: Binding[] = [{ kind: 'expr', path: '/metadata/labels/app.kubernetes.io~1instance', expr: '.Release.Name' }];
      bindSidecarNames(ctx, bs, '', obj.toJson(), sidecar);
      ctx.rec.attach(obj, bs);
    }
  }
}

/**
 * Binds every `name`/`secretName` under `value` (at JSON pointer `path`) that names one of the
 * attached sidecar's objects (`<host fullname>-<sidecar name>[-suffix]`) to the host's fullname helper.
 */
function bindSidecarNames(ctx: RenderContext, bs: Binding[], path: string, value: unknown, sidecar: ServiceModel): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => bindSidecarNames(ctx, bs, `${path}/${i}`, v, sidecar));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = `${path}/${seg(k)}`;
      if ((k === 'name' || k === 'secretName') && typeof v === 'string' && (v === sidecar.fullname || v.startsWith(`${sidecar.fullname}-`))) {
        ctx.rec.expr(bs, at, nameExpr(ctx, `${sidecar.name}${v.slice(sidecar.fullname.length)}`));
      } else {
        bindSidecarNames(ctx, bs, at, v, sidecar);
      }
    }
  }
}

/** Pod annotations that roll the host's pods when an attached sidecar's config or external secrets change. */
export function sidecarChecksums(m: ServiceModel): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of m.sidecars ?? []) {
    if (Object.keys(s.config.env).length + Object.keys(s.config.files).length) out[`checksum/sidecar-${s.name}-config`] = configChecksum(s);
    for (const secret of s.secrets) {
      if (secret.source.type === 'external') out[`checksum/sidecar-${s.name}-secret-${secret.name}`] = externalSecretChecksum(secret);
    }
  }
  return out;
}

/** JSON pointer of the pod spec inside a workload of this kind. */
function podSpecPath(kind: string): string {
  if (kind === 'Pod') return '/spec';
  if (kind === 'CronJob') return '/spec/jobTemplate/spec/template/spec';
  if (['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job', 'ReplicationController'].includes(kind)) return '/spec/template/spec';
  throw new Error(`addSidecar: ${kind} has no pod template (expected a Deployment, DaemonSet, StatefulSet, ReplicaSet, Job, CronJob or Pod)`);
}

/**
 * Adds a Slipway service's container to your own cdk8s workload as a sidecar (native by
 * default: an init container with restartPolicy Always, which needs Kubernetes >= 1.29), with the
 * shared emptyDir volumes mounted in every app container of the target. The sidecar's ConfigMaps
 * and Secrets come from its own `SlipwayService` (render it in the same namespace).
 *
 * `target` is an `ApiObject` (e.g. `SlipwayService.workload`, a `k8s.KubeDeployment`) or a
 * cdk8s-plus workload (`kplus.Deployment`, ...). Call it once the target's containers are defined:
 * the target's current pod spec is read to add rather than replace lists, and a clash of
 * container name, port or volume name throws.
 *
 * @example
 * const agent = new SlipwayService(chart, 'agent', { name: 'gophership', ..., workload: { kind: 'Sidecar' } });
 * addSidecar(myDeployment, agent, { sharedVolumes: { logs: '/var/log/app' } });
 */
export function addSidecar(target: IConstruct, sidecar: ServiceModel | { readonly model: ServiceModel }, options: SidecarOptions = {}): void {
  const model = 'model' in sidecar ? sidecar.model : sidecar;
  const obj = target instanceof ApiObject ? target : ApiObject.of(target);
  const json = obj.toJson();
  const base = podSpecPath(json.kind);
  const pod = base.split('/').slice(1).reduce<any>((cur, s) => cur?.[s], json) ?? {};
  const parts = sidecarParts(model, options);
  const problems = sidecarClashes(pod, parts);
  if (problems.length) throw new Error(`addSidecar(${model.name} -> ${json.kind}/${json.metadata?.name}): ${problems.join('; ')}`);

  const appendAll = (field: string, items: unknown[]) => {
    if (!items.length) return;
    if (Array.isArray(pod[field])) items.forEach((item) => obj.addJsonPatch(JsonPatch.add(`${base}/${field}/-`, item)));
    else obj.addJsonPatch(JsonPatch.add(`${base}/${field}`, items));
  };
  const containers: any[] = pod.containers ?? [];
  containers.forEach((c, i) => {
    if (!parts.hostMounts.length) return;
    if (Array.isArray(c.volumeMounts)) parts.hostMounts.forEach((mnt) => obj.addJsonPatch(JsonPatch.add(`${base}/containers/${i}/volumeMounts/-`, mnt)));
    else obj.addJsonPatch(JsonPatch.add(`${base}/containers/${i}/volumeMounts`, parts.hostMounts));
  });
  appendAll(parts.mode === 'native' ? 'initContainers' : 'containers', [parts.container]);
  appendAll('volumes', parts.volumes);
}

/** Clashes between a pod spec and a sidecar's parts (container names, ports, volumes, mount paths). */
export function sidecarClashes(pod: any, parts: SidecarParts): string[] {
  const out: string[] = [];
  const all: any[] = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
  const c = parts.container as any;
  if (all.some((o) => o.name === c.name)) out.push(`the pod already has a container named "${c.name}"`);
  for (const p of c.ports ?? []) {
    const owner = all.find((o) => (o.ports ?? []).some((q: any) => q.containerPort === p.containerPort && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP')));
    if (owner) out.push(`port ${p.containerPort}/${p.protocol ?? 'TCP'} is already used by container "${owner.name}" (containers of a pod share the network)`);
  }
  const names = new Set((pod.volumes ?? []).map((v: any) => v.name));
  for (const v of parts.volumes) if (names.has(v.name)) out.push(`the pod already has a volume named "${v.name as string}"`);
  for (const mnt of parts.hostMounts) {
    const owner = (pod.containers ?? []).find((o: any) => (o.volumeMounts ?? []).some((x: any) => x.mountPath === mnt.mountPath));
    if (owner) out.push(`container "${owner.name}" already mounts something at ${mnt.mountPath}`);
  }
  return out;
}
