/** templates/*.yaml: one file per rendered object (objects sharing a file name are joined). */
import type { ApiObject } from 'cdk8s';
import type { Recorder } from '../render/recorder';
import { objectTemplate, type TemplateContext } from './object-template';
import { HELPER_TEMPLATES } from './helpers';

/** Template file name of an object: the recorded one, else `<kind>-<construct id>.yaml`. */
function fileName(rec: Recorder, obj: ApiObject): string {
  return rec.fileOf(obj) ?? `${obj.kind.toLowerCase()}-${obj.node.id}.yaml`;
}

/** Fails when a binding uses a helper that _helpers.tpl does not define. */
function checkHelpers(rec: Recorder, obj: ApiObject, known: ReadonlySet<string>): void {
  for (const b of rec.bindingsOf(obj)) {
    const used = b.kind === 'include' ? [`${rec.chartName}.${b.template}`] : b.kind === 'expr' && b.expr.includes('include') ? [...b.expr.matchAll(/include "([^"]+)"/g)].map((x) => x[1]) : [];
    for (const name of used) {
      if (!known.has(name)) throw new Error(`chart: ${obj.kind}/${obj.name} uses the template "${name}", which _helpers.tpl does not define (src/chart/helpers.ts)`);
    }
  }
}

/** The object templates: `templates/<file>` -> text. */
export function objectTemplates(objects: readonly ApiObject[], rec: Recorder, ctx: TemplateContext): Record<string, string> {
  const files = new Map<string, string[]>();
  const known = new Set(HELPER_TEMPLATES.map((t) => `${rec.chartName}.${t}`));
  for (const obj of objects) {
    checkHelpers(rec, obj, known);
    const file = `templates/${fileName(rec, obj)}`;
    const text = objectTemplate(obj.toJson(), rec.bindingsOf(obj), ctx, rec.toggleOf(obj));
    files.set(file, [...(files.get(file) ?? []), text]);
  }
  return Object.fromEntries([...files].map(([f, texts]) => [f, texts.join('---\n')]));
}
