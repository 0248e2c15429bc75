/**
 * Init containers (`initContainers`): resolved with the main container's defaults (resources,
 * security, writable paths), their mounts checked against the declared `volumes`, and their names
 * against the pod's other containers. Each problem names the field to change.
 */
import type { ServiceSpec } from '../spec/types';
import type { InitContainerModel, WorkloadKind } from './types';
import type { Problems } from './problems';
import { resolveResources } from './resources';

/** Resolves `initContainers` (an empty list when the spec has none). */
export function resolveInitContainers(spec: ServiceSpec, kind: WorkloadKind, defaultImage: string, problems: Problems): InitContainerModel[] {
  const list = spec.initContainers ?? [];
  if (list.length && kind === 'Sidecar') {
    problems.add(['initContainers'], 'is a pod setting and does not apply to a Sidecar: declare the init containers on the host service');
    return [];
  }
  const volumes = (spec.volumes ?? []).map((v) => v.name);
  const readOnlyKinds = ['configMap', 'secret', 'projected'] as const;
  return list.map((c, i) => {
    const at = ['initContainers', i];
    if (c.name === spec.name) problems.add([...at, 'name'], `"${c.name}" is the main container's name (the service name): choose another`);
    if (list.findIndex((o) => o.name === c.name) !== i) problems.add([...at, 'name'], `"${c.name}" is declared twice: container names must be unique in the pod`);
    const mounts = (c.mounts ?? []).map((m, j) => {
      const v = (spec.volumes ?? []).find((x) => x.name === m.volume);
      if (!v) problems.add([...at, 'mounts', j, 'volume'], `"${m.volume}" is not a declared volume (declared under volumes: ${volumes.join(', ') || 'none'})`);
      if (m.subPath !== undefined && m.subPath.split('/').includes('..')) problems.add([...at, 'mounts', j, 'subPath'], `("${m.subPath}") must not contain ".." as a path element`);
      const paths = (c.mounts ?? []).map((x) => x.mountPath);
      if (paths.indexOf(m.mountPath) !== j) problems.add([...at, 'mounts', j, 'mountPath'], `${m.mountPath} is mounted twice in this container`);
      const readOnly = m.readOnly ?? (v ? readOnlyKinds.some((k) => v[k] !== undefined) : false);
      return { name: m.volume, mountPath: m.mountPath, ...(readOnly ? { readOnly: true } : {}), ...(m.subPath !== undefined ? { subPath: m.subPath } : {}) };
    });
    return {
      name: c.name,
      image: c.image ?? defaultImage,
      command: c.command ?? [],
      args: c.args ?? [],
      env: Object.entries(c.env ?? {}).map(([name, value]) => ({ name, value })),
      resources: resolveResources(c.resources, problems, [...at, 'resources']),
      mounts,
    };
  });
}

/** Names of the volumes some init container mounts (a volume only they use is still "mounted"). */
export function initContainerVolumes(spec: ServiceSpec): Set<string> {
  return new Set((spec.initContainers ?? []).flatMap((c) => (c.mounts ?? []).map((m) => m.volume)));
}
