/** Object naming shared by the manifests and the chart's `_helpers.tpl` (kept in lockstep; tests compare them). */

/** The label keys of every selector: the service name and the instance (`selectorLabels` in src/render/context.ts). */
export const NAME_LABEL = 'app.kubernetes.io/name';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
export const SELECTOR_LABEL_KEYS = [NAME_LABEL, INSTANCE_LABEL] as const;

/** helm create's `fullname`: the release name if it contains the chart name, else `release-name`; 63 chars max. */
export function fullnameOf(instance: string, name: string): string {
  const full = instance.includes(name) ? instance : `${instance}-${name}`;
  return full.slice(0, 63).replace(/-+$/, '');
}

/** `<fullname>-<suffix>`, or the fullname when there is no suffix. */
export function childName(fullname: string, suffix?: string): string {
  return suffix ? `${fullname}-${suffix}` : fullname;
}
