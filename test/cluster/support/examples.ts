/**
 * The example services, discovered from what `cdk8s synth` wrote into dist/:
 *   dist/<fullname>/manifests/<fullname>.k8s.yaml   plain manifests
 *   dist/<fullname>/chart/<name>/Chart.yaml         the Helm chart (when rendered)
 * Nothing here is hard-coded per example: a new example in dist/ is picked up by every step.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const DIST = process.env.SLIPWAY_DIST ?? path.join(ROOT, 'dist');
export const CRDS_DIR = process.env.SLIPWAY_CRDS ?? path.join(process.env.SLIPWAY_SHARED_DIR ?? '/work/shared', 'crds');
/** CRDs the repository adds to the shared ones (test/crds/SOURCES.md: the ApplicationSet CRD). */
export const REPO_CRDS_DIR = path.join(__dirname, '..', '..', 'crds');

/** Annotation prefix on a pod template naming an explicit opt-out of PSS "restricted". */
export const EXCEPTION_PREFIX = 'slipway.dev/security-exception.';
/** Annotation on a pod template stating the PSS level its namespace needs (when not restricted). */
export const LEVEL_ANNOTATION = 'slipway.dev/pod-security-level';
const LEVELS: PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: any }; [k: string]: any };

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export interface SecurityException {
  /** Annotation key suffix, e.g. `read-node-logs`. */
  readonly name: string;
  /** What it allows (hostPath, hostNetwork, hostPort, runAsRoot), parsed from the annotation value. */
  readonly allow: string[];
  readonly reason: string;
}

export interface Example {
  /** dist/ directory name = the release's fullname. */
  readonly fullname: string;
  readonly manifestFile: string;
  readonly objects: K8sObject[];
  /** `app.kubernetes.io/name` / `app.kubernetes.io/instance` of the workload. */
  readonly name: string;
  readonly instance: string;
  /** Deployments, DaemonSets and StatefulSets. */
  readonly workloads: K8sObject[];
  /** Named exceptions found on the workloads' pod templates. */
  readonly exceptions: SecurityException[];
  /** The PSS level its namespace must enforce: restricted unless an exception needs more. */
  readonly podSecurity: PodSecurityLevel;
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw new Error(d.errors.map((e) => e.message).join('\n'));
      return d.toJSON() as K8sObject | null;
    })
    .filter((o): o is K8sObject => !!o && typeof o === 'object' && !!o.kind);
}

export const WORKLOAD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

/** What PSS level an exception needs: host namespaces/ports/paths are only allowed at privileged. */
function levelFor(allow: string[]): PodSecurityLevel {
  if (allow.some((a) => ['hostPath', 'hostNetwork', 'hostPort', 'hostPID', 'hostIPC', 'privileged'].includes(a))) return 'privileged';
  if (allow.includes('runAsRoot')) return 'baseline';
  return allow.length ? 'privileged' : 'restricted'; // unknown opt-out: the least strict level
}

function exceptionsOf(workloads: K8sObject[]): SecurityException[] {
  const out: SecurityException[] = [];
  for (const w of workloads) {
    for (const [k, v] of Object.entries(w.spec?.template?.metadata?.annotations ?? {})) {
      if (!k.startsWith(EXCEPTION_PREFIX)) continue;
      const value = String(v);
      const colon = value.indexOf(':');
      const allow = colon > 0 ? value.slice(0, colon).split(',').map((s) => s.trim()).filter(Boolean) : [];
      out.push({ name: k.slice(EXCEPTION_PREFIX.length), allow: allow.length ? allow : ['unknown'], reason: value.slice(colon + 1).trim() });
    }
  }
  return out;
}

/** dist/ entries without plain manifests (e.g. a sidecar that only exists inside its host's output). */
export function entriesWithoutManifests(): string[] {
  if (!fs.existsSync(DIST)) return [];
  return fs.readdirSync(DIST).sort().filter((d) => !fs.existsSync(path.join(DIST, d, 'manifests', `${d}.k8s.yaml`)));
}

/** Every example in dist/ (sorted), optionally narrowed by SLIPWAY_EXAMPLES=a,b. */
export function discoverExamples(): Example[] {
  if (!fs.existsSync(DIST)) return [];
  const only = process.env.SLIPWAY_EXAMPLES?.split(',').map((s) => s.trim()).filter(Boolean);
  return fs.readdirSync(DIST).sort()
    .filter((d) => !only || only.includes(d))
    .map((fullname) => ({ fullname, file: path.join(DIST, fullname, 'manifests', `${fullname}.k8s.yaml`) }))
    .filter(({ file }) => fs.existsSync(file))
    .map(({ fullname, file }) => {
      const objects = parseObjects(fs.readFileSync(file, 'utf8'));
      const workloads = objects.filter((o) => WORKLOAD_KINDS.has(o.kind));
      const labels = (workloads[0] ?? objects[0])?.metadata.labels ?? {};
      const exceptions = exceptionsOf(workloads);
      // The level the output states, else the one its exceptions need; the least strict one wins.
      const stated = workloads.map((w) => w.spec?.template?.metadata?.annotations?.[LEVEL_ANNOTATION])
        .filter((l): l is PodSecurityLevel => LEVELS.includes(l));
      const levels = stated.length ? stated : exceptions.map((e) => levelFor(e.allow));
      const podSecurity = LEVELS[Math.max(0, ...levels.map((l) => LEVELS.indexOf(l)))];
      return {
        fullname, manifestFile: file, objects, workloads, exceptions, podSecurity,
        name: labels['app.kubernetes.io/name'] ?? fullname,
        instance: labels['app.kubernetes.io/instance'] ?? fullname,
      };
    });
}

/** dist/<fullname>/chart/<name>/ if the chart has been rendered (looked up when needed). */
export function chartDirOf(ex: Example): string | undefined {
  const base = path.join(DIST, ex.fullname, 'chart');
  if (!fs.existsSync(base)) return undefined;
  const dirs = fs.readdirSync(base).filter((d) => fs.existsSync(path.join(base, d, 'Chart.yaml')));
  const preferred = dirs.find((d) => d === ex.name) ?? dirs[0];
  return preferred ? path.join(base, preferred) : undefined;
}

/** Pod templates of every object that has one (workloads, Jobs, CronJobs). */
export function podTemplates(objects: K8sObject[]): { owner: K8sObject; template: K8sObject['spec'] }[] {
  const out: { owner: K8sObject; template: K8sObject['spec'] }[] = [];
  for (const o of objects) {
    if (o.spec?.template?.spec) out.push({ owner: o, template: o.spec.template });
    else if (o.spec?.jobTemplate?.spec?.template?.spec) out.push({ owner: o, template: o.spec.jobTemplate.spec.template });
  }
  return out;
}

/**
 * Secrets the pods reference (env secretKeyRef, envFrom secretRef, secret volumes, projected
 * secrets) that the output does not itself define: existingSecret references and ExternalSecret
 * targets (no external-secrets operator runs in the test cluster). Name -> keys referenced.
 */
export function referencedSecrets(objects: K8sObject[]): Map<string, Set<string>> {
  const defined = new Set(objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name));
  const refs = new Map<string, Set<string>>();
  const add = (name: string | undefined, key?: string) => {
    if (!name || defined.has(name)) return;
    const keys = refs.get(name) ?? new Set<string>();
    if (key) keys.add(key);
    refs.set(name, keys);
  };
  for (const { template } of podTemplates(objects)) {
    const spec = template.spec;
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      for (const e of c.env ?? []) add(e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.key);
      for (const e of c.envFrom ?? []) add(e.secretRef?.name);
    }
    for (const v of spec.volumes ?? []) {
      if (v.secret) {
        add(v.secret.secretName);
        for (const i of v.secret.items ?? []) add(v.secret.secretName, i.key);
      }
      for (const s of v.projected?.sources ?? []) {
        if (!s.secret) continue;
        add(s.secret.name);
        for (const i of s.secret.items ?? []) add(s.secret.name, i.key);
      }
    }
  }
  return refs;
}

/** ServiceAccounts the pods run as that the output does not create (other than "default"). */
export function referencedServiceAccounts(objects: K8sObject[]): string[] {
  const defined = new Set(objects.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name));
  const names = podTemplates(objects).map(({ template }) => template.spec.serviceAccountName as string | undefined);
  return [...new Set(names.filter((n): n is string => !!n && n !== 'default' && !defined.has(n)))];
}

/** `Kind/name` of each object, sorted (for comparing what a chart installs with the manifests). */
export function identities(objects: K8sObject[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();
}
