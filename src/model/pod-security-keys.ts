/**
 * Pod annotation keys that change a pod's Pod Security: AppArmor profiles (beta annotations) and the
 * seccomp alpha annotations. The spec check (model/pod-annotations.ts) and the chart's values schema
 * (chart/security-schema.ts) both read them from here, so the two refuse the same keys.
 */

/** A named security exception that permits one family of annotation keys. */
export type AnnotationOverride = 'appArmorOverride' | 'seccompOverride';

/** One family of security-relevant annotation keys: the key prefixes, and the exception that permits them. */
export interface SecurityAnnotationFamily {
  readonly allow: AnnotationOverride;
  /** What the keys set, for messages. */
  readonly what: string;
  /** Key prefixes (a key starting with one belongs to the family). */
  readonly prefixes: readonly string[];
}

/** The families, AppArmor first. */
export const SECURITY_ANNOTATION_FAMILIES: readonly SecurityAnnotationFamily[] = [
  { allow: 'appArmorOverride', what: 'an AppArmor profile', prefixes: ['container.apparmor.security.beta.kubernetes.io/'] },
  { allow: 'seccompOverride', what: 'a seccomp profile (alpha annotation)', prefixes: ['seccomp.security.alpha.kubernetes.io/', 'container.seccomp.security.alpha.kubernetes.io/'] },
];

/** The family a pod annotation key belongs to, if any. */
export function securityAnnotationFamily(key: string): SecurityAnnotationFamily | undefined {
  return SECURITY_ANNOTATION_FAMILIES.find((f) => f.prefixes.some((p) => key.startsWith(p)));
}

/** A regular expression (source) matching the keys of one family, for JSON Schema `pattern`. */
export function familyPattern(f: SecurityAnnotationFamily): string {
  return `^(${f.prefixes.map(escapeRegExp).join('|')})`;
}

/** `s` as a literal in a regular expression. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
