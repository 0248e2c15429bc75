/**
 * The spec's `patches` (RFC 6902, checked in render/patch-check.ts), applied last to the generated
 * objects as cdk8s JSON patches. In the chart they are baked into the templates: every binding the
 * patch touches — at the patched field, above it, below it, or in a list whose items it shifts —
 * is first resolved to its default (a `merge` gets its default entries, an off `when` field goes)
 * and then dropped, so the field is fixed in the chart and equal to the manifests.
 */
import { JsonPatch, type ApiObject } from 'cdk8s';
import type { RenderContext } from './context';
import type { Binding } from './recorder';
import { goTruthy, getAt, parsePointer, sortedDeep } from './recorder';
import type { PatchModel } from '../model/types';
import { pointerSegments } from '../model/json-patch';
import { EXCEPTION_ANNOTATION } from './container';

/** The object a patch selects (by kind and manifests name, or the only object of the kind), or undefined. */
export function patchTarget(objects: readonly ApiObject[], p: Pick<PatchModel, 'kind' | 'name'>): ApiObject | undefined {
  const candidates = objects.filter((o) => o.kind === p.kind && (p.name === undefined || o.name === p.name));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** Applies every patch (the model's patches were checked: each target exists and each op applies). */
export function applyPatches(ctx: RenderContext, objects: readonly ApiObject[]): void {
  for (const p of ctx.model.patches) {
    const obj = patchTarget(objects, p);
    if (!obj) throw new Error(`internal: patches[${p.index}] selects ${p.kind}/${p.name ?? '*'}, which was not rendered once`);
    if (ctx.mode === 'chart') bake(ctx, obj, p);
    for (const op of p.ops) obj.addJsonPatch(op.op === 'remove' ? JsonPatch.remove(op.path) : op.op === 'add' ? JsonPatch.add(op.path, op.value) : JsonPatch.replace(op.path, op.value));
    annotateExceptions(ctx, obj, `${obj.kind}/${obj.name}`);
    // cdk8s sorts an object's keys before it applies JSON patches, so an added key would come last;
    // sorted again, the patched object reads like every other (and the chart's projection, which
    // inserts merged entries in sorted order, stays byte-identical to the manifests).
    const json = obj.toJson() as Record<string, unknown>;
    for (const k of Object.keys(json)) if (k !== 'apiVersion' && k !== 'kind') obj.addJsonPatch(JsonPatch.replace(`/${k}`, sortedDeep(json[k])));
  }
}

/** Whether a binding at `bound` is touched by an operation at `path`. */
export function touches(bound: string, path: string, op: string): boolean {
  if (bound === path || bound.startsWith(`${path}/`) || path.startsWith(`${bound}/`)) return true;
  const segs = pointerSegments(path);
  const last = segs[segs.length - 1];
  // Inserting or removing a list item shifts the items after it.
  if (op !== 'replace' && (last === '-' || /^[0-9]+$/.test(last))) {
    const list = path.slice(0, path.lastIndexOf('/'));
    return bound.startsWith(`${list}/`);
  }
  return false;
}

function bake(ctx: RenderContext, obj: ApiObject, p: PatchModel): void {
  const json = obj.toJson();
  const dropped = ctx.rec.dropBindings(obj, json, (b: Binding) => p.ops.some((op) => touches(b.path, op.path, op.op)));
  // The manifests hold a merge's defaults from the start, where cdk8s sorts every map's keys; a JSON
  // patch appends keys unsorted. So the default entries go in by replacing the field's parent with
  // a key-sorted copy, and the patched object is byte for byte the manifests' (projection.test.ts).
  const work = structuredClone(json) as Record<string, unknown>;
  for (const b of dropped) {
    const segs = parsePointer(b.path);
    if (b.kind === 'when' && !ctx.rec.holds(b.condition) && getAt(json, b.path) !== undefined) {
      obj.addJsonPatch(JsonPatch.remove(b.path));
      removeAt(work, segs);
      continue;
    }
    if (b.kind !== 'merge' || segs.length < 2) continue;
    const defaults = ctx.rec.defaultOf(b.key);
    if (!goTruthy(defaults)) continue;
    const parentPointer = b.path.slice(0, b.path.lastIndexOf('/'));
    const parent = getAt(work, parentPointer) as Record<string, unknown> | undefined;
    if (!parent || typeof parent !== 'object') continue;
    const key = segs[segs.length - 1];
    const current = parent[key];
    if (Array.isArray(current)) current.push(...structuredClone(defaults as unknown[]));
    else if (current && typeof current === 'object') Object.assign(current, structuredClone(defaults));
    else parent[key] = structuredClone(defaults);
    obj.addJsonPatch(JsonPatch.replace(parentPointer, sortedDeep(parent)));
  }
}

function removeAt(root: unknown, segs: readonly string[]): void {
  const parent = getAt(root, `/${segs.slice(0, -1).map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`.replace(/^\/$/, ''));
  if (parent && typeof parent === 'object' && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[segs[segs.length - 1]];
}

/** The exception annotations of the exceptions that name a patched object. */
function annotateExceptions(ctx: RenderContext, obj: ApiObject, ref: string): void {
  const exceptions = ctx.model.objectExceptions.filter((e) => e.objects?.includes(ref));
  for (const e of exceptions) obj.metadata.addAnnotation(`${EXCEPTION_ANNOTATION}${e.name}`, `${e.allow.join(',')}: ${e.reason}`);
}
