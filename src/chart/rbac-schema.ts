/**
 * values.schema.json shapes of the RBAC values: `rbac.rules` closed to PolicyRules (apiGroups,
 * resources, verbs, resourceNames; nothing else) and, unless the spec names an `rbacWildcard`
 * exception, to rules without a `*` — the chart keeps the spec's least-privilege promise.
 * `rbac.namespace` is a namespace name.
 */
import type { SecurityOptions } from './security-schema';

type Schema = Record<string, unknown>;

/** The schema of an RBAC values key, or undefined for other keys. */
export function rbacLeafSchema(key: string, doc: string, security: SecurityOptions): Schema | undefined {
  if (key === 'rbac.namespace') return { description: doc, type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 };
  if (key !== 'rbac.rules') return undefined;
  const wildcard = security.allow.has('rbacWildcard');
  const entry = (pattern: string): Schema => ({ type: 'string', pattern: wildcard ? pattern : '^[^*]*$', ...(wildcard ? {} : { description: 'no wildcard: the spec names no rbacWildcard exception' }) });
  const list = (pattern: string): Schema => ({ type: 'array', minItems: 1, items: entry(pattern) });
  return {
    description: doc,
    type: 'array',
    items: {
      type: 'object',
      required: ['apiGroups', 'resources', 'verbs'],
      additionalProperties: false,
      properties: {
        apiGroups: list('^.*$'),
        resources: list('^.+$'),
        verbs: list('^.+$'),
        resourceNames: { type: 'array', items: { type: 'string', minLength: 1 } },
      },
    },
  };
}
