/**
 * Checks the spec's `patches` on the objects they select, before anything is written: the target
 * exists in the manifests, every operation applies (RFC 6902, strictly), no operation changes an
 * object's identity (apiVersion, kind, name, namespace, selector labels), and the patched object
 * still passes the strict Kubernetes 1.28 schema and the security policy (model/object-policy.ts:
 * a departure the patch introduces needs a `security.exceptions` entry naming the object). Each
 * problem names the operation (`patches[i].ops[j]`) and, where it can, the field inside its value.
 */
import { App, Chart, type ApiObject } from 'cdk8s';
import type { ServiceSpec } from '../spec/types';
import type { FieldPath } from '../spec/errors';
import type { ServiceModel } from '../model/types';
import type { Problems } from '../model/problems';
import { applyOperation, pointerSegments } from '../model/json-patch';
import { schemaViolations } from '../model/k8s-schema';
import { policyFindings, type PolicyFinding } from '../model/object-policy';
import { checkPolicy } from '../model/extra-objects';
import { ServiceResources } from './service-resources';
import { patchTarget } from './patches';

/** Fields that make an object what it is: a patch may not change them. */
const IDENTITY = ['/apiVersion', '/kind', '/metadata/name', '/metadata/namespace', '/spec/selector',
  ...['/metadata/labels', '/spec/template/metadata/labels', '/spec/jobTemplate/spec/template/metadata/labels'].flatMap((l) => [`${l}/app.kubernetes.io~1name`, `${l}/app.kubernetes.io~1instance`])];

const related = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

interface Applied { readonly patch: number; readonly op: number; readonly path: string; readonly hasValue: boolean }

/** Checks every patch; returns the `Kind/name` of each patched object. */
export function checkPatches(spec: ServiceSpec, model: ServiceModel, problems: Problems, used: Map<string, Set<string>>): Set<string> {
  const app = new App({ outdir: '/nonexistent' });
  const chart = new Chart(app, model.name, { disableResourceNameHashes: true });
  const objects: readonly ApiObject[] = new ServiceResources(chart, 'service', { model: { ...model, patches: [], extraObjects: [] } }).apiObjects;
  const patched = new Map<string, { before: Record<string, unknown>; after: Record<string, unknown>; applied: Applied[] }>();
  for (const p of model.patches) {
    const target = patchTarget(objects, p);
    if (!target) {
      const names = objects.map((o) => `${o.kind}/${o.name}`);
      const several = p.name === undefined && objects.filter((o) => o.kind === p.kind).length > 1;
      problems.add(['patches', p.index, several ? 'kind' : p.name === undefined ? 'kind' : 'name'], several
        ? `selects every ${p.kind} (${names.filter((n) => n.startsWith(`${p.kind}/`)).join(', ')}): add name to choose one`
        : `selects ${p.kind}/${p.name ?? '*'}, which this spec does not generate (generated: ${names.join(', ')})`);
      continue;
    }
    const ref = `${target.kind}/${target.name}`;
    let entry = patched.get(ref);
    if (!entry) {
      const json = target.toJson() as Record<string, unknown>;
      entry = { before: json, after: structuredClone(json), applied: [] };
      patched.set(ref, entry);
    }
    for (const [j, op] of p.ops.entries()) {
      const at: FieldPath = ['patches', p.index, 'ops', j, 'path'];
      const guarded = IDENTITY.find((g) => related(g, op.path));
      if (guarded) {
        problems.add(at, `("${op.path}") would change ${guarded} of ${ref}: an object's apiVersion, kind, name, namespace and selector labels are Slipway's (set name or instance instead)`);
        break;
      }
      const error = applyOperation(entry.after, op);
      if (error) {
        problems.add(at, `("${op.path}") cannot ${op.op} on ${ref}: ${error}`);
        break;
      }
      entry.applied.push({ patch: p.index, op: j, path: op.path, hasValue: op.value !== undefined });
    }
  }
  if (problems.all.length) return new Set(patched.keys());
  for (const [ref, { before, after, applied }] of patched) {
    const blame = (pointer: string): FieldPath => {
      const a = [...applied].reverse().find((x) => related(x.path, pointer)) ?? applied[applied.length - 1];
      const base: FieldPath = ['patches', a.patch, 'ops', a.op];
      if (!a.hasValue || !pointer.startsWith(`${a.path}/`)) return [...base, a.hasValue && pointer === a.path ? 'value' : 'path'];
      return [...base, 'value', ...pointerSegments(pointer.slice(a.path.length)).map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s))];
    };
    for (const v of schemaViolations(after)) problems.add(blame(v.pointer), `makes ${ref} invalid at ${v.pointer}: ${v.message} (Kubernetes 1.28 schema)`);
    checkPolicy(spec, after, [], newFindings(policyFindings(before), policyFindings(after)), problems, used, (f) => blame(f.pointer));
  }
  return new Set(patched.keys());
}

/** Findings of `after` that `before` did not have (matched by allowance and message, so shifted list items still match). */
function newFindings(before: readonly PolicyFinding[], after: readonly PolicyFinding[]): PolicyFinding[] {
  const pool = before.map((f) => `${f.allow}\0${f.message}`);
  return after.filter((f) => {
    const i = pool.indexOf(`${f.allow}\0${f.message}`);
    if (i < 0) return true;
    pool.splice(i, 1);
    return false;
  });
}
