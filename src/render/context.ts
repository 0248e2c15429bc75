import type { ServiceModel } from '../model/types';
import type { Binding, Recorder, RenderMode } from './recorder';
import { childName, NAME_LABEL, INSTANCE_LABEL } from '../model/naming';
import { versionLabel } from '../model/k8s-rules';

/** What every resource renderer gets: the model, the recorder and the mode. */
export interface RenderContext {
  readonly model: ServiceModel;
  readonly rec: Recorder;
  readonly mode: RenderMode;
}

export const MANAGED_BY = 'slipway';

/** Standard labels on every object (`<chart>.labels` in _helpers.tpl renders the same). */
export function standardLabels(m: ServiceModel): Record<string, string> {
  return {
    ...m.commonLabels,
    ...selectorLabels(m),
    'app.kubernetes.io/version': versionLabel(m.version),
    'app.kubernetes.io/component': m.component,
    ...(m.partOf ? { 'app.kubernetes.io/part-of': m.partOf } : {}),
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/** Selector labels: name + instance only, so renames never change a selector. */
export function selectorLabels(m: ServiceModel): Record<string, string> {
  return { [NAME_LABEL]: m.name, [INSTANCE_LABEL]: m.instance };
}

/** Metadata for an object named `<fullname>[-suffix]`, with standard labels. */
export function metadata(m: ServiceModel, suffix?: string, annotations?: Record<string, string>) {
  return {
    name: childName(m.fullname, suffix),
    labels: standardLabels(m),
    ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
  };
}

/** Records the chart form of `metadata()`: name from the fullname helper, labels from the labels helper. */
export function recordMetadata(ctx: RenderContext, obj: Binding[], suffix?: string): void {
  ctx.rec.expr(obj, '/metadata/name', nameExpr(ctx, suffix));
  ctx.rec.include(obj, '/metadata/labels', 'labels', 'commonLabels', 'Labels added to every object');
}

/** Expression for a name derived from the fullname, for use inside other objects. */
export function nameExpr(ctx: RenderContext, suffix?: string): string {
  const full = `include "${ctx.rec.chartName}.fullname" .`;
  return suffix ? `printf "%s-${suffix}" (${full})` : full;
}
