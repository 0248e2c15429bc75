/**
 * `extraObjects`: raw Kubernetes objects checked the way Slipway's own output is — strictly
 * against the Kubernetes 1.28 schema or a known CRD (model/k8s-schema.ts), names and labels by
 * Kubernetes' rules, no namespace of their own, no secret values, and the security policy of
 * model/object-policy.ts unless a `security.exceptions` entry naming the object allows it.
 */
import type { ServiceSpec } from '../spec/types';
import type { FieldPath } from '../spec/errors';
import type { Problems } from './problems';
import { knownKind, apiVersionsOf, schemaViolations } from './k8s-schema';
import { policyFindings, type PolicyFinding } from './object-policy';
import { dns1123Subdomain, qualifiedName, labelValue } from './k8s-rules';
import { pointerSegments } from './json-patch';
import { NAME_LABEL, INSTANCE_LABEL } from './naming';

/** Labels Slipway sets on every object; an extra object may not set them itself. */
export const RESERVED_LABELS = [NAME_LABEL, INSTANCE_LABEL, 'app.kubernetes.io/managed-by'];

/** A JSON pointer into an object as a spec field path below `base`. */
export function pointerPath(base: FieldPath, pointer: string): FieldPath {
  return [...base, ...pointerSegments(pointer).map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s))];
}

/** `Kind/name` of an object. */
export function objectRef(obj: Readonly<Record<string, any>>): string {
  return `${String(obj.kind)}/${String(obj.metadata?.name)}`;
}

/** The hint for a finding no exception allows. */
export function exceptionHint(ref: string, f: PolicyFinding): string {
  return `${f.message}. Change it, or add a named opt-out under security.exceptions with allow: [${f.allow}], objects: [${ref}] and a reason`;
}

/**
 * Checks `extraObjects`; returns them (copies) and records, per `Kind/name`, the allowances their
 * findings used (for the unused-exception check).
 */
export function resolveExtraObjects(spec: ServiceSpec, problems: Problems, used: Map<string, Set<string>>): Record<string, unknown>[] {
  const list = spec.extraObjects ?? [];
  if (list.length && spec.workload?.kind === 'Sidecar') {
    problems.add(['extraObjects'], 'does not apply to a Sidecar (it renders no objects of its own): declare them on the host service');
    return [];
  }
  const refs = list.map((o) => objectRef(o));
  return list.map((raw, i) => {
    const at: FieldPath = ['extraObjects', i];
    const obj = structuredClone(raw) as Record<string, any>;
    const ref = refs[i];
    if (refs.indexOf(ref) !== i) problems.add([...at, 'metadata', 'name'], `${ref} is declared twice in extraObjects`);
    if (!knownKind(obj)) {
      const versions = apiVersionsOf(String(obj.kind));
      problems.add(versions.length ? [...at, 'apiVersion'] : [...at, 'kind'], versions.length
        ? `("${String(obj.apiVersion)}") does not serve ${String(obj.kind)} in Kubernetes 1.28; use ${versions.join(' or ')}`
        : `("${String(obj.kind)}" in ${String(obj.apiVersion)}) is not a kind of Kubernetes 1.28 or of a CRD Slipway knows (external-secrets, Gateway API, Prometheus Operator, Argo CD)`);
      return obj;
    }
    if (obj.metadata?.namespace !== undefined) problems.add([...at, 'metadata', 'namespace'], 'is set by the release (kubectl -n / helm -n / Argo CD destination): remove it');
    const bad = typeof obj.metadata?.name === 'string' ? dns1123Subdomain(obj.metadata.name) : undefined;
    if (bad) problems.add([...at, 'metadata', 'name'], `("${obj.metadata.name}") ${bad}`);
    for (const [key, value] of Object.entries<unknown>(obj.metadata?.labels ?? {})) {
      const badKey = qualifiedName(key);
      if (badKey) problems.add([...at, 'metadata', 'labels', key], `is a label key, which ${badKey}`, true);
      const badValue = typeof value === 'string' ? labelValue(value) : undefined;
      if (badValue) problems.add([...at, 'metadata', 'labels', key], `("${value}") is a label value, which ${badValue}`);
    }
    for (const key of RESERVED_LABELS) {
      if (obj.metadata?.labels && key in obj.metadata.labels) problems.add([...at, 'metadata', 'labels', key], 'is a label Slipway sets on every object (from name and instance): remove it', true);
    }
    if (obj.kind === 'Secret' && (obj.data !== undefined || obj.stringData !== undefined)) {
      problems.add([...at, obj.data !== undefined ? 'data' : 'stringData'], 'would write secret values into the output: declare the secret under `secrets` (existingSecret, external, or inline with allowPlaintextInOutput)');
    }
    for (const v of schemaViolations(obj)) problems.add(pointerPath(at, v.pointer), `${v.message} (${ref}, Kubernetes 1.28 schema)`);
    checkPolicy(spec, obj, at, policyFindings(obj), problems, used);
    return obj;
  });
}

/** Reports each finding that no exception naming the object allows; records the allowances used. */
export function checkPolicy(spec: ServiceSpec, obj: Record<string, any>, at: FieldPath, findings: readonly PolicyFinding[], problems: Problems, used: Map<string, Set<string>>, locate?: (f: PolicyFinding) => FieldPath): void {
  const ref = objectRef(obj);
  const allowed = new Set((spec.security?.exceptions ?? []).filter((e) => e.objects?.includes(ref)).flatMap((e) => e.allow));
  for (const f of findings) {
    if (allowed.has(f.allow)) {
      const set = used.get(ref) ?? new Set<string>();
      set.add(f.allow);
      used.set(ref, set);
    } else {
      problems.add(locate ? locate(f) : pointerPath(at, f.pointer), locate ? `makes ${ref} leave the security policy at ${f.pointer}: ${exceptionHint(ref, f)}` : exceptionHint(ref, f));
    }
  }
}

/** Every exception naming objects names existing extra or patched objects, and every allowance it grants is needed by one. */
export function checkObjectExceptions(spec: ServiceSpec, known: ReadonlySet<string>, used: ReadonlyMap<string, ReadonlySet<string>>, problems: Problems): void {
  (spec.security?.exceptions ?? []).forEach((e, i) => {
    if (!e.objects?.length) return;
    e.objects.forEach((ref, k) => {
      if (!known.has(ref)) problems.add(['security', 'exceptions', i, 'objects', k], `("${ref}") is neither an extraObjects entry nor an object a patch changes: name one of ${[...known].join(', ') || 'none'}`);
    });
    e.allow.forEach((a, j) => {
      if (!e.objects!.some((ref) => used.get(ref)?.has(a))) problems.add(['security', 'exceptions', i, 'allow', j], `allows ${a}, which none of its objects needs: remove it so the opt-out stays accurate`);
    });
  });
}
