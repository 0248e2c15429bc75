/**
 * "Valid means accepted": every name, label, annotation key, port name, host, image reference,
 * ConfigMap key and size that the spec turns into Kubernetes objects is checked with Kubernetes'
 * own rules (model/k8s-rules.ts), including names Slipway derives (`<fullname>-migrate`, the
 * Service name, volume names), and reported at the spec field where the user wrote it.
 */
import type { ServiceSpec } from '../spec/types';
import type { FieldPath } from '../spec/errors';
import type { ServiceModel } from './types';
import type { Problems } from './problems';
import {
  dns1123Label, dns1123Subdomain, dns1035Label, qualifiedName, labelValue, ianaServiceName, ingressHost,
  configMapKey, httpHeaderName, cidr, byteLength, versionLabel, CONFIG_MAX_BYTES, ANNOTATIONS_MAX_BYTES, LABEL_MAX,
} from './k8s-rules';
import { imageRegistry, imageRepository, imageTag, imageDigest, imageName } from './image-reference';
import { childName } from './naming';
import { writableVolumeName } from '../render/volumes';

/** Suffix of the migration Job's name (render/migration.ts MIGRATION_SUFFIX). */
const MIGRATION_JOB_SUFFIX = 'migrate';
/** Annotation key prefixes Slipway derives from spec names (render/pod.ts, render/external-secret.ts). */
const EXCEPTION_ANNOTATION = 'slipway.dev/security-exception.';
const SECRET_CHECKSUM_ANNOTATION = 'checksum/secret-';

type Add = (path: FieldPath, message: string, atKey?: boolean) => void;

/** Checks a resolved service against Kubernetes' rules; adds located problems. */
export function checkKubernetesFields(spec: ServiceSpec, m: ServiceModel, problems: Problems): void {
  const add: Add = (path, message, atKey) => problems.add(path, message, atKey);
  checkNames(spec, m, add);
  checkLabelsAndAnnotations(spec, m, add);
  checkPorts(spec, add);
  checkHosts(spec, add);
  checkImage(spec, add);
  checkConfig(spec, m, add);
  checkSecrets(spec, add);
  checkVolumes(spec, m, add);
  checkScheduling(spec, add);
}

/** Where a name derived from the fullname is changed: `instance` when given, else `name`. */
function fullnameField(spec: ServiceSpec): FieldPath {
  return spec.instance !== undefined ? ['instance'] : ['name'];
}

function checkNames(spec: ServiceSpec, m: ServiceModel, add: Add): void {
  const at = fullnameField(spec);
  if (m.service.enabled) {
    const bad = dns1035Label(m.fullname);
    if (bad) add(at, `makes the Service name "${m.fullname}", which ${bad}: change ${at[0]} so that it starts with a letter`);
  }
  if (m.migration) {
    const job = childName(m.fullname, MIGRATION_JOB_SUFFIX);
    if (job.length > LABEL_MAX) {
      add(at, `makes the migration Job name "${job}" (${job.length} characters); a Job name becomes the pods' job-name label, so it may have at most ${LABEL_MAX}: shorten ${at.join('.')} by ${job.length - LABEL_MAX}`);
    }
  }
  const subdomain = (path: FieldPath, value: string | undefined, what: string) => {
    if (value === undefined) return;
    const bad = dns1123Subdomain(value);
    if (bad) add(path, `("${value}") names ${what}, which ${bad}`);
  };
  if (spec.serviceAccount?.name !== undefined) subdomain(['serviceAccount', 'name'], spec.serviceAccount.name, 'a ServiceAccount');
  spec.imagePullSecrets?.forEach((s, i) => subdomain(['imagePullSecrets', i], s, 'a Secret'));
  subdomain(['priorityClassName'], spec.priorityClassName, 'a PriorityClass');
  subdomain(['ingress', 'className'], spec.ingress?.className, 'an IngressClass');
  spec.ingress?.tls?.forEach((t, i) => subdomain(['ingress', 'tls', i, 'secretName'], t.secretName, 'a Secret'));
  spec.secrets?.forEach((s, i) => {
    subdomain(['secrets', i, 'existingSecret'], s.existingSecret, 'a Secret');
    subdomain(['secrets', i, 'external', 'store'], s.external?.store, 'a SecretStore');
  });
  spec.httpRoute?.parentRefs.forEach((p, i) => {
    subdomain(['httpRoute', 'parentRefs', i, 'name'], p.name, 'a Gateway');
    subdomain(['httpRoute', 'parentRefs', i, 'sectionName'], p.sectionName, 'a Gateway listener');
    if (p.namespace !== undefined) {
      const bad = dns1123Label(p.namespace);
      if (bad) add(['httpRoute', 'parentRefs', i, 'namespace'], `("${p.namespace}") names a namespace, which ${bad}`);
    }
  });
}

function checkLabelMap(path: FieldPath, map: Record<string, string> | undefined, add: Add, what = 'label'): void {
  for (const [k, v] of Object.entries(map ?? {})) {
    const key = qualifiedName(k);
    if (key) add([...path, k], `is not a valid ${what} key: ${key}`, true);
    const value = labelValue(String(v));
    if (value) add([...path, k], `("${v}") is not a valid ${what} value: ${value}`);
  }
}

function checkAnnotationMap(path: FieldPath, map: Record<string, string> | undefined, add: Add): void {
  let size = 0;
  for (const [k, v] of Object.entries(map ?? {})) {
    size += byteLength(k) + byteLength(String(v));
    const key = qualifiedName(k);
    if (key) add([...path, k], `is not a valid annotation key: ${key}`, true);
  }
  if (size > ANNOTATIONS_MAX_BYTES) add(path, `hold ${size} bytes; Kubernetes allows at most ${ANNOTATIONS_MAX_BYTES} bytes of annotations on an object`);
}

function checkLabelsAndAnnotations(spec: ServiceSpec, m: ServiceModel, add: Add): void {
  const version = labelValue(versionLabel(m.version));
  if (version) add(['version'], `becomes the app.kubernetes.io/version label ("${versionLabel(m.version)}", "+" written as "_"), which ${version}`);
  checkLabelMap(['labels'], spec.labels, add);
  checkLabelMap(['podLabels'], spec.podLabels, add);
  checkLabelMap(['nodeSelector'], spec.nodeSelector, add, 'node selector');
  checkLabelMap(['metrics', 'serviceMonitorLabels'], spec.metrics?.serviceMonitorLabels, add);
  for (const dir of ['ingressFrom', 'egressTo'] as const) {
    spec.networkPolicy?.[dir]?.forEach((peer, i) => {
      checkLabelMap(['networkPolicy', dir, i, 'podLabels'], peer.podLabels, add, 'label selector');
      checkLabelMap(['networkPolicy', dir, i, 'namespaceLabels'], peer.namespaceLabels, add, 'label selector');
    });
  }
  checkAnnotationMap(['podAnnotations'], spec.podAnnotations, add);
  checkAnnotationMap(['service', 'annotations'], spec.service?.annotations, add);
  checkAnnotationMap(['ingress', 'annotations'], spec.ingress?.annotations, add);
  checkAnnotationMap(['serviceAccount', 'annotations'], spec.serviceAccount?.annotations, add);
  spec.security?.exceptions?.forEach((e, i) => {
    const key = `${EXCEPTION_ANNOTATION}${e.name}`;
    const bad = qualifiedName(key);
    if (bad) add(['security', 'exceptions', i, 'name'], `becomes the annotation key "${key}", which ${bad}: use a shorter name`);
  });
  spec.secrets?.forEach((s, i) => {
    if (!s.external) return;
    const key = `${SECRET_CHECKSUM_ANNOTATION}${s.name}`;
    const bad = qualifiedName(key);
    if (bad) add(['secrets', i, 'name'], `becomes the pod annotation key "${key}", which ${bad}: use a shorter name`);
  });
}

function checkPorts(spec: ServiceSpec, add: Add): void {
  spec.ports?.forEach((p, i) => {
    const bad = ianaServiceName(p.name);
    if (bad) add(['ports', i, 'name'], `("${p.name}") ${bad}`);
    if (p.appProtocol !== undefined) {
      const ap = qualifiedName(p.appProtocol);
      if (ap) add(['ports', i, 'appProtocol'], `("${p.appProtocol}") must be a protocol name such as http, grpc or kubernetes.io/h2c: ${ap}`);
    }
  });
  const health = spec.health;
  if (health) {
    const checks: [FieldPath, Record<string, string> | undefined][] = [[['health', 'http', 'headers'], health.http?.headers]];
    for (const probe of ['startup', 'liveness', 'readiness'] as const) checks.push([['health', probe, 'http', 'headers'], health[probe]?.http?.headers]);
    for (const [path, headers] of checks) {
      for (const name of Object.keys(headers ?? {})) {
        const bad = httpHeaderName(name);
        if (bad) add([...path, name], bad, true);
      }
    }
  }
  for (const dir of ['ingressFrom', 'egressTo'] as const) {
    spec.networkPolicy?.[dir]?.forEach((peer, i) => {
      if (peer.cidr !== undefined) {
        const bad = cidr(peer.cidr);
        if (bad) add(['networkPolicy', dir, i, 'cidr'], `("${peer.cidr}") ${bad}`);
      }
      peer.ports?.forEach((port, j) => {
        if (typeof port === 'number' && (port < 1 || port > 65535)) add(['networkPolicy', dir, i, 'ports', j], `(${port}) must be a port number from 1 to 65535`);
        if (typeof port === 'string') {
          const bad = ianaServiceName(port);
          if (bad) add(['networkPolicy', dir, i, 'ports', j], `("${port}") is a port name, which ${bad}`);
        }
      });
    });
  }
}

/** Sequences the API server refuses in an Ingress path of type Exact or Prefix. */
const BAD_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const BAD_PATH_SUFFIXES = ['/..', '/.'];

function checkHosts(spec: ServiceSpec, add: Add): void {
  spec.ingress?.hosts.forEach((h, i) => {
    const bad = ingressHost(h.host);
    if (bad) add(['ingress', 'hosts', i, 'host'], `("${h.host}") ${bad}`);
    h.paths?.forEach((p, j) => {
      if ((p.pathType ?? 'Prefix') === 'ImplementationSpecific') return;
      const seq = BAD_PATH_SEQUENCES.find((s) => p.path.includes(s)) ?? BAD_PATH_SUFFIXES.find((s) => p.path.endsWith(s));
      if (seq) add(['ingress', 'hosts', i, 'paths', j, 'path'], `("${p.path}") must not contain "${seq}" (an Ingress ${p.pathType ?? 'Prefix'} path)`);
    });
  });
  spec.ingress?.tls?.forEach((t, i) => t.hosts.forEach((host, j) => {
    const bad = ingressHost(host);
    if (bad) add(['ingress', 'tls', i, 'hosts', j], `("${host}") ${bad}`);
  }));
  spec.httpRoute?.hostnames?.forEach((host, i) => {
    const bad = ingressHost(host);
    if (bad) add(['httpRoute', 'hostnames', i], `("${host}") ${bad}`);
  });
  spec.httpRoute?.paths?.forEach((p, i) => {
    const bad = httpRoutePath(p);
    if (bad) add(['httpRoute', 'paths', i], `("${p}") ${bad}`);
  });
}

/** A PathPrefix match of an HTTPRoute, as the Gateway API CRD validates it. */
function httpRoutePath(p: string): string | undefined {
  if (!p.startsWith('/')) return 'must start with "/"';
  if (p.length > 1024) return `must be at most 1024 characters (it has ${p.length})`;
  const seq = [...BAD_PATH_SEQUENCES, '#'].find((x) => p.includes(x)) ?? BAD_PATH_SUFFIXES.find((x) => p.endsWith(x));
  if (seq) return `must not contain "${seq}" (an HTTPRoute path prefix)`;
  if (!/^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/.test(p)) return 'must be URL path characters only (letters, digits and -/._~!$&\'()*+,;=:@, or %XX escapes)';
  return undefined;
}

function checkImage(spec: ServiceSpec, add: Add): void {
  const img = spec.image;
  const registry = imageRegistry(img.registry ?? '');
  if (registry) add(['image', 'registry'], `("${img.registry}") ${registry}`);
  const repo = imageRepository(img.repository);
  if (repo) add(['image', 'repository'], `("${img.repository}") ${repo}`);
  if (!registry && !repo) {
    const name = imageName(img.registry ?? '', img.repository);
    if (name) add(['image', 'repository'], name);
  }
  if (img.tag !== undefined) {
    const tag = imageTag(img.tag);
    if (tag) add(['image', 'tag'], `("${img.tag}") ${tag}`);
  } else {
    const tag = imageTag(spec.version);
    if (tag) add(['version'], `("${spec.version}") is also the default image tag, which ${tag}: set image.tag to a valid tag`);
  }
  const digest = imageDigest(img.digest ?? '');
  if (digest) add(['image', 'digest'], `("${img.digest}") ${digest}`);
}

function checkConfigMapData(path: FieldPath, data: Record<string, string>, add: Add, what: string, keyPath = (k: string): FieldPath => [...path, k]): void {
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    size += byteLength(String(v));
    const bad = configMapKey(k);
    if (bad) add(keyPath(k), `is not a valid ${what} key: ${bad}`, true);
  }
  if (size > CONFIG_MAX_BYTES) add(path, `hold ${size} bytes; a ${what} may hold at most ${CONFIG_MAX_BYTES} bytes (1 MiB): move large files into the image or a volume`);
}

function checkConfig(spec: ServiceSpec, m: ServiceModel, add: Add): void {
  const c = spec.config;
  if (!c) return;
  checkConfigMapData(['config', 'env'], m.config.env, add, 'ConfigMap');
  const fromFiles = (k: string): FieldPath => (c.filesFrom && k in c.filesFrom && !(c.files && k in c.files) ? ['config', 'filesFrom', k] : ['config', 'files', k]);
  checkConfigMapData(['config', c.files ? 'files' : 'filesFrom'], m.config.files, add, 'ConfigMap', fromFiles);
  for (const k of Object.keys(c.filesFrom ?? {})) {
    if (c.files && k in c.files) add(['config', 'filesFrom', k], `names the file "${k}" that config.files also declares: keep one`, true);
  }
}

function checkSecrets(spec: ServiceSpec, add: Add): void {
  spec.secrets?.forEach((s, i) => {
    let keys: string[] | undefined;
    if (s.inline) {
      checkConfigMapData(['secrets', i, 'inline', 'values'], s.inline.values, add, 'Secret');
      keys = Object.keys(s.inline.values);
    }
    if (s.external) {
      s.external.data.forEach((d, j) => {
        const bad = configMapKey(d.secretKey);
        if (bad) add(['secrets', i, 'external', 'data', j, 'secretKey'], `("${d.secretKey}") becomes a Secret key, which ${bad}`);
      });
      // Which keys the env entries may name is checked with the ExternalSecret (model/variants.ts).
    }
    for (const [env, key] of Object.entries(s.env ?? {})) {
      const bad = configMapKey(key);
      if (bad) add(['secrets', i, 'env', env], `("${key}") is a Secret key, which ${bad}`);
      else if (keys && !keys.includes(key)) {
        add(['secrets', i, 'env', env], `names the key "${key}", which secret "${s.name}" does not have (its keys, from inline.values: ${keys.join(', ') || 'none'})`);
      }
    }
  });
}

/** A volume and a mount the pod gets, with the spec field that asks for them. */
interface VolumeUse { readonly name?: string; readonly mountPath: string; readonly at: FieldPath; readonly nameAt: FieldPath }

function checkVolumes(spec: ServiceSpec, m: ServiceModel, add: Add): void {
  const uses: VolumeUse[] = [];
  m.container.writablePaths.forEach((path, i) => {
    const at: FieldPath = spec.security?.writablePaths ? ['security', 'writablePaths', i] : ['security'];
    uses.push({ name: writableVolumeName(path), mountPath: path, at, nameAt: at });
  });
  if (Object.keys(m.config.files).length) {
    const at: FieldPath = spec.config?.mountPath ? ['config', 'mountPath'] : ['config'];
    uses.push({ name: 'config-files', mountPath: m.config.mountPath, at, nameAt: at });
  }
  spec.secrets?.forEach((s, i) => {
    if (s.mountPath) uses.push({ name: `secret-${s.name}`, mountPath: s.mountPath, at: ['secrets', i, 'mountPath'], nameAt: ['secrets', i, 'name'] });
  });
  spec.hostPaths?.forEach((h, i) => {
    if (h.path.split('/').includes('..')) add(['hostPaths', i, 'path'], `("${h.path}") must not contain ".." as a path element: write the path without it`);
    uses.push({ mountPath: h.mountPath ?? h.path, at: ['hostPaths', i, h.mountPath ? 'mountPath' : 'path'], nameAt: ['hostPaths', i, 'path'] });
  });
  spec.workload?.statefulSet?.volumeClaims?.forEach((c, i) => {
    const at: FieldPath = ['workload', 'statefulSet', 'volumeClaims', i];
    uses.push({ name: c.name, mountPath: c.mountPath, at: [...at, 'mountPath'], nameAt: [...at, 'name'] });
  });
  // `mounts` may mount one volume several times (subPath): only their paths must differ.
  spec.mounts?.forEach((mt, i) => uses.push({ mountPath: mt.mountPath, at: ['mounts', i, 'mountPath'], nameAt: ['mounts', i, 'volume'] }));
  for (const [name, mountPath] of Object.entries(spec.workload?.sidecar?.sharedVolumes ?? {})) {
    const at: FieldPath = ['workload', 'sidecar', 'sharedVolumes', name];
    const bad = dns1123Label(name);
    if (bad) add(at, `is a volume name, which ${bad}`, true);
    uses.push({ name, mountPath, at, nameAt: at });
  }
  uses.forEach((u, i) => {
    const norm = normalizeMountPath(u.mountPath);
    const firstMount = uses.findIndex((o) => normalizeMountPath(o.mountPath) === norm);
    if (firstMount !== i) add(u.at, `mounts at ${u.mountPath}, where ${describe(uses[firstMount])} is already mounted: two mounts of a container cannot share a path`);
    if (u.name === undefined) return;
    const bad = dns1123Label(u.name);
    if (bad) add(u.nameAt, `becomes the volume name "${u.name}", which ${bad}`);
    const first = uses.findIndex((o) => o.name === u.name);
    if (first !== i && firstMount === i) add(u.nameAt, `becomes the volume name "${u.name}", which ${describe(uses[first])} also uses: two volumes of a pod cannot share a name`);
  });
}

function normalizeMountPath(p: string): string {
  return p.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

function describe(u: VolumeUse): string {
  return u.at.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[');
}

function checkScheduling(spec: ServiceSpec, add: Add): void {
  spec.spread?.topologyKeys?.forEach((k, i) => {
    const bad = qualifiedName(k);
    if (bad) add(['spread', 'topologyKeys', i], `("${k}") is a node label key, which ${bad}`);
  });
  spec.tolerations?.forEach((t, i) => {
    const at: FieldPath = ['tolerations', i];
    if (t.key !== undefined && t.key !== '') {
      const bad = qualifiedName(t.key);
      if (bad) add([...at, 'key'], `("${t.key}") is a taint key, which ${bad}`);
    } else if ((t.operator ?? 'Equal') !== 'Exists') {
      add([...at, 'operator'], 'must be "Exists" when no key is given (a toleration of every taint)');
    }
    if (t.operator === 'Exists' && t.value) add([...at, 'value'], 'must be empty when operator is "Exists"');
    if (t.value !== undefined && t.operator !== 'Exists') {
      const bad = labelValue(t.value);
      if (bad) add([...at, 'value'], `("${t.value}") is a taint value, which ${bad}`);
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') add([...at, 'tolerationSeconds'], 'applies only with effect "NoExecute": set effect: NoExecute or remove it');
  });
}

/**
 * Names a sidecar gets only once it joins its host's pods (volumes prefixed `<sidecar>-`, the
 * `checksum/sidecar-<sidecar>-…` pod annotations): what Kubernetes would refuse, in words.
 */
export function attachedSidecarProblems(sidecar: ServiceModel, volumeNames: readonly string[], annotationKeys: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of volumeNames) {
    const bad = dns1123Label(v);
    if (bad) out.push(`its volume "${v}" in the host's pods ${bad}: use a shorter sidecar name, secret name or writable path`);
  }
  for (const k of annotationKeys) {
    const bad = qualifiedName(k);
    if (bad) out.push(`its pod annotation key "${k}" on the host's pods ${bad}: use a shorter sidecar or secret name`);
  }
  return out;
}
