/**
 * The spec's `podAnnotations` may not change the pod's AppArmor or seccomp profile behind the
 * restricted profile's back: such a key needs the matching named exception
 * (`security.exceptions[].allow: [appArmorOverride]` / `[seccompOverride]`).
 */
import type { ServiceSpec } from '../spec/types';
import type { Problems } from './problems';
import { securityAnnotationFamily } from './pod-security-keys';

/** Adds a located problem for every AppArmor / seccomp annotation key without its exception. */
export function checkPodAnnotations(spec: ServiceSpec, problems: Problems): void {
  const allowed = new Set((spec.security?.exceptions ?? []).filter((e) => !e.objects?.length).flatMap((e) => e.allow));
  for (const key of Object.keys(spec.podAnnotations ?? {})) {
    const family = securityAnnotationFamily(key);
    if (!family || allowed.has(family.allow)) continue;
    problems.add(['podAnnotations', key], `sets ${family.what}, which can take the pod out of Pod Security "restricted" (AppArmor "unconfined" breaks even "baseline"): remove it, or add a named opt-out under security.exceptions with allow: [${family.allow}] and a reason`);
  }
}
