/**
 * Security exceptions split by what they are about: the service's pod (no `objects`), or named
 * extra / patched objects (`objects: [Kind/name]`). The allowances `clusterScoped`,
 * `clusterAdmin` and `privileged` exist only for objects.
 */
import type { SecurityExceptionSpec, ServiceSpec } from '../spec/types';
import type { Problems } from './problems';

/** Allowances that make sense only for named objects. */
export const OBJECT_ONLY_ALLOWANCES = ['clusterScoped', 'clusterAdmin', 'privileged'] as const;

/** Exceptions about the service's own pod. */
export function podExceptionsOf(spec: ServiceSpec): SecurityExceptionSpec[] {
  return (spec.security?.exceptions ?? []).filter((e) => !e.objects?.length);
}

/** Exceptions about named objects. */
export function objectExceptionsOf(spec: ServiceSpec): SecurityExceptionSpec[] {
  return (spec.security?.exceptions ?? []).filter((e) => e.objects?.length);
}

/** An object-only allowance on a pod exception is an error (it would excuse nothing). */
export function checkExceptionScopes(spec: ServiceSpec, problems: Problems): void {
  (spec.security?.exceptions ?? []).forEach((e, i) => {
    if (e.objects?.length) return;
    e.allow.forEach((a, j) => {
      if ((OBJECT_ONLY_ALLOWANCES as readonly string[]).includes(a)) {
        problems.add(['security', 'exceptions', i, 'allow', j], `(${a}) applies to extra or patched objects only: name them in objects: [Kind/name], or remove it`);
      }
    });
  });
}
