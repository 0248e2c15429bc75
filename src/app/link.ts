/**
 * The cross-service step of a synth run: resolves `workload.sidecar.host` of each Sidecar to
 * another service loaded in the same run and attaches the sidecar to the host's model, so the
 * host's pods run the sidecar's container and the host's output holds the sidecar's ConfigMaps
 * and Secrets too (one self-contained set of objects per workload). The sidecar itself is marked
 * `sidecarOf` its host and renders no objects. Problems are located in the sidecar's spec file.
 */
import { checkLayout } from './layout-check';
import type { LoadedService } from '../spec/load';
import { SpecError, formatPath, type Finding, type FieldPath } from '../spec/errors';
import type { ServiceModel } from '../model/types';
import { podVolumes } from '../render/volumes';
import { childName } from '../model/naming';
import { sidecarClashes, sidecarParts, sidecarChecksums } from '../render/sidecar';
import { attachedSidecarProblems } from '../model/k8s-fields';

/** Returns the services with each sidecar attached to its host; throws a SpecError on a bad reference. */
export function linkServices(services: readonly LoadedService[]): LoadedService[] {
  const findings: Finding[] = [];
  const attached = new Map<LoadedService, ServiceModel[]>();
  const problem = (svc: LoadedService, path: FieldPath, message: string) => {
    const at = svc.locate?.(path) ?? { file: svc.file, path: formatPath(path), message: '' };
    findings.push({ ...at, message });
  };
  for (const svc of services) {
    const sidecar = svc.model.workload.sidecar;
    if (svc.model.workload.kind !== 'Sidecar' || !sidecar) continue;
    if (!sidecar.host) {
      problem(svc, ['workload', 'sidecar'], 'names no host: set workload.sidecar.host to the service whose pods run this sidecar (or attach it from TypeScript with addSidecar)');
      continue;
    }
    const candidates = services.filter((o) => o !== svc && o.model.name === sidecar.host);
    const others = services.filter((o) => o !== svc && o.model.workload.kind !== 'Sidecar').map((o) => o.model.name);
    if (!candidates.length) {
      problem(svc, ['workload', 'sidecar', 'host'], `"${sidecar.host}" is not a service of this run (services: ${[...new Set(others)].join(', ') || 'none'})`);
      continue;
    }
    if (candidates.length > 1) {
      problem(svc, ['workload', 'sidecar', 'host'], `"${sidecar.host}" is ambiguous: ${candidates.length} services have that name (instances ${candidates.map((c) => c.model.instance).join(', ')})`);
      continue;
    }
    const host = candidates[0];
    if (host.model.workload.kind === 'Sidecar') {
      problem(svc, ['workload', 'sidecar', 'host'], `"${sidecar.host}" is itself a Sidecar: attach to a Deployment or DaemonSet`);
      continue;
    }
    const earlier = attached.get(host) ?? [];
    const clashes = sidecarClashes(podView(host.model, earlier), sidecarParts(svc.model));
    if (clashes.length) {
      problem(svc, ['workload', 'sidecar'], `cannot join the pods of "${host.model.fullname}": ${clashes.join('; ')}`);
      continue;
    }
    const parts = sidecarParts(svc.model);
    const named = attachedSidecarProblems(svc.model, parts.volumes.map((v) => v.name as string), Object.keys(sidecarChecksums({ ...host.model, sidecars: [svc.model] })));
    if (named.length) {
      problem(svc, ['name'], `cannot join the pods of "${host.model.fullname}": ${named.join('; ')}`);
      continue;
    }
    attached.set(host, [...earlier, svc.model]);
  }
  if (findings.length) throw new SpecError(findings);
  const hostOf = new Map<ServiceModel, string>();
  for (const [host, sidecars] of attached) for (const s of sidecars) hostOf.set(s, host.model.fullname);
  const linked = services.map((svc) => {
    const sidecars = attached.get(svc);
    if (sidecars) return { ...svc, model: { ...svc.model, sidecars: [...(svc.model.sidecars ?? []), ...sidecars.map((s) => attachedModel(svc.model, s))] } };
    const host = hostOf.get(svc.model);
    return host ? { ...svc, model: { ...svc.model, sidecarOf: host } } : svc;
  });
  checkLayout(linked);
  return linked;
}

/**
 * A sidecar as its host renders it: part of the host's release (`instance`), its objects named
 * `<host fullname>-<sidecar name>[-suffix]`, so two releases of the host never share an object.
 */
export function attachedModel(host: ServiceModel, sidecar: ServiceModel): ServiceModel {
  return { ...sidecar, instance: host.instance, fullname: childName(host.fullname, sidecar.name), sidecarOf: host.fullname };
}

/** The parts of a host's pod spec that a sidecar could clash with. */
function podView(host: ServiceModel, sidecars: readonly ServiceModel[]) {
  const volumes = podVolumes(host);
  const pod = {
    initContainers: [] as unknown[],
    containers: [{ name: host.container.name, ports: host.container.ports.map((p) => ({ containerPort: p.containerPort, protocol: p.protocol })), volumeMounts: volumes.map((v) => v.mount) }] as unknown[],
    volumes: volumes.map((v) => v.volume),
  };
  for (const s of sidecars) {
    const parts = sidecarParts(s);
    (parts.mode === 'native' ? pod.initContainers : pod.containers).push(parts.container);
    pod.volumes.push(...parts.volumes);
  }
  return pod;
}
