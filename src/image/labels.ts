/** OCI image labels (org.opencontainers.image.*) of the final stage. */
import type { ImageBuild } from './model';
import { dq, byKey } from './quote';

/** Prefix of the OCI annotation keys Slipway sets itself. */
export const OCI_PREFIX = 'org.opencontainers.image.';

/** The labels as sorted [key, value] pairs: OCI ones from the spec, then `build.labels`. */
export function imageLabels(b: ImageBuild): [string, string][] {
  const oci: Record<string, string | undefined> = {
    title: b.name,
    description: b.description,
    version: b.version,
    source: b.spec.source,
    licenses: b.spec.licenses,
  };
  const own = Object.entries(oci)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]): [string, string] => [`${OCI_PREFIX}${k}`, v]);
  const extra = Object.entries(b.spec.labels ?? {}).sort(byKey);
  return [...own.sort(byKey), ...extra];
}

/** The argument lines of one LABEL instruction (`key="value"` each). */
export function labelLines(b: ImageBuild): string[] {
  return imageLabels(b).map(([k, v]) => `${/^[A-Za-z0-9._-]+$/.test(k) ? k : dq(k)}=${dq(v)}`);
}
