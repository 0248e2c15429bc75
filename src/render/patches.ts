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
import { goTruthy, getAt } from './recorder';
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
  for (const b of dropped) {
    if (b.kind === 'merge') {
      const defaults = ctx.rec.defaultOf(b.key);
      if (!goTruthy(defaults)) continue;
      const current = getAt(json, b.path);
      if (Array.isArray(current)) for (const item of defaults as unknown[]) obj.addJsonPatch(JsonPatch.add(`${b.path}/-`, item));
      else if (current && typeof current === 'object') for (const [k, v] of Object.entries(defaults as object)) obj.addJsonPatch(JsonPatch.add(`${b.path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, v));
      else obj.addJsonPatch(JsonPatch.add(b.path, defaults));
    } else if (b.kind === 'when' && !ctx.rec.holds(b.condition) && getAt(json, b.path) !== undefined) {
      obj.addJsonPatch(JsonPatch.remove(b.path));
    }
  }
}

/** The exception annotations of the exceptions that name a patched object. */
function annotateExceptions(ctx: RenderContext, obj: ApiObject, ref: string): void {
  const exceptions = ctx.model.objectExceptions.filter((e) => e.objects?.includes(ref));
  for (const e of exceptions) obj.metadata.addAnnotation(`${EXCEPTION_ANNOTATION}${e.name}`, `${e.allow.join(',')}: ${e.reason}`);
}
