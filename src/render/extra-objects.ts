/**
 * The spec's `extraObjects` (checked in model/extra-objects.ts): each as written, with Slipway's
 * standard labels under its own, the annotation of each security exception naming it, and no
 * namespace (the release's applies). In the chart, one template per object
 * (`extra-<kind>-<name>.yaml`), written as data: every string is escaped like any other value,
 * so nothing in an object is read as a Helm expression; only the standard labels follow the
 * release (the `labels` helper, with `commonLabels` below and the object's own labels above).
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { standardLabels, type RenderContext } from './context';
import type { Binding } from './recorder';
import { EXCEPTION_ANNOTATION } from './container';
import { objectRef } from '../model/extra-objects';

/** Renders every extra object. */
export function renderExtraObjects(scope: Construct, ctx: RenderContext): void {
  const m = ctx.model;
  m.extraObjects.forEach((raw, i) => {
    const o = structuredClone(raw) as Record<string, any>;
    const own: Record<string, string> = { ...(o.metadata.labels ?? {}) };
    const ref = objectRef(o);
    const annotations: Record<string, string> = { ...(o.metadata.annotations ?? {}) };
    for (const e of m.objectExceptions) {
      if (e.objects?.includes(ref)) annotations[`${EXCEPTION_ANNOTATION}${e.name}`] = `${e.allow.join(',')}: ${e.reason}`;
    }
    const { apiVersion, kind, metadata, ...rest } = o;
    const bs: Binding[] = [];
    ctx.rec.include(bs, '/metadata/labels', 'labels', 'commonLabels', 'Labels added to every object', own);
    const obj = new ApiObject(scope, `extra-${i}`, {
      apiVersion, kind,
      metadata: { ...metadata, labels: { ...standardLabels(m), ...own }, ...(Object.keys(annotations).length ? { annotations } : {}) },
      ...rest,
    });
    ctx.rec.attach(obj, bs);
    ctx.rec.fileFor(obj, `extra-${String(kind).toLowerCase()}-${String(metadata.name)}.yaml`);
  });
}
