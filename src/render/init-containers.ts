/**
 * The spec's init containers (`initContainers`) in the pod template: after any native sidecar (so a
 * proxy sidecar already runs when they start), each with the main container's PSS-restricted
 * security context (without its added capabilities), the writable-path emptyDirs and its own
 * mounts. Helm: the list value `initContainers`, whose default is these containers (closed by
 * values.schema.json, chart/init-containers-schema.ts), appended after the sidecars.
 */
import type { ServiceModel, InitContainerModel } from '../model/types';
import type { Binding } from './recorder';
import type { RenderContext } from './context';
import { containerSecurityContext } from './container';
import { writableVolumeName } from './volumes';

/** One init container as Kubernetes takes it. */
export function initContainer(m: ServiceModel, c: InitContainerModel): Record<string, unknown> {
  const { capabilities: _caps, ...security } = containerSecurityContext(m);
  const mounts = [...m.container.writablePaths.map((p) => ({ name: writableVolumeName(p), mountPath: p })), ...c.mounts.map((x) => ({ ...x }))];
  return {
    name: c.name,
    image: c.image,
    imagePullPolicy: m.image.pullPolicy,
    ...(c.command.length ? { command: [...c.command] } : {}),
    ...(c.args.length ? { args: [...c.args] } : {}),
    ...(c.env.length ? { env: c.env.map((e) => ({ ...e })) } : {}),
    ...(c.resources ? { resources: structuredClone(c.resources) } : {}),
    securityContext: { ...security, capabilities: { drop: ['ALL'] } },
    ...(mounts.length ? { volumeMounts: mounts } : {}),
  };
}

/** Appends the init containers to the pod spec (`path`: the pod spec's pointer) and records the `initContainers` value. */
export function addInitContainers(ctx: RenderContext, spec: Record<string, unknown>, bs: Binding[], path: string): void {
  const m = ctx.model;
  if (m.workload.kind === 'Sidecar') return;
  const defaults = m.initContainers.map((c) => initContainer(m, c));
  const rendered = ctx.rec.merge(bs, `${path}/initContainers`, 'initContainers', 'Init containers, run in order before the main container (after native sidecars); each keeps a Pod Security "restricted" securityContext (values.schema.json)', defaults, ctx.mode);
  const all = [...((spec.initContainers as unknown[] | undefined) ?? []), ...rendered];
  if (all.length) spec.initContainers = all;
}
