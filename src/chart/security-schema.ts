/**
 * The part of values.schema.json that keeps the spec's security promises at install time: the pod
 * and container security contexts are closed to Pod Security Standards "restricted"
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/), label maps cannot set the
 * selector keys, and pod annotations cannot set AppArmor / seccomp profiles. A named security
 * exception in the spec opens exactly the field it names: `runAsRoot` the user/group fields,
 * `seccompOverride` the seccomp type `Unconfined` and the seccomp annotations, `appArmorOverride`
 * the AppArmor annotations.
 */
import type { ServiceModel } from '../model/types';
import { SELECTOR_LABEL_KEYS } from '../model/naming';
import { escapeRegExp, familyPattern, SECURITY_ANNOTATION_FAMILIES } from '../model/pod-security-keys';

type Schema = Record<string, unknown>;

/** What the spec allows beyond "restricted", as far as the chart's values are concerned. */
export interface SecurityOptions {
  /** The `allow` entries of the spec's named security exceptions. @default none */
  readonly allow: ReadonlySet<string>;
  /** The spec keeps the root filesystem read-only, so the values must too. @default true */
  readonly readOnlyRootFilesystem: boolean;
  /** The spec runs the pod with gid 0 (`security.runAsGroup: 0`, allowed by "restricted"), so the values may too. @default false */
  readonly rootGroup?: boolean;
}

/** The options a service's model implies. */
export function securityOptionsOf(m: ServiceModel): SecurityOptions {
  return { allow: new Set(m.pod.exceptions.flatMap((e) => e.allow)), readOnlyRootFilesystem: m.container.readOnlyRootFilesystem, rootGroup: m.container.runAsGroup === 0 };
}

/** Restricted, with no exception. */
export const RESTRICTED: SecurityOptions = { allow: new Set(), readOnlyRootFilesystem: true };

const POD_CONTEXT = /(^|\.)podSecurityContext$/;
const CONTAINER_CONTEXT = /(^|\.)(containerSecurityContext|securityContext)$/;
const LABELS = /(^|\.)(commonLabels|podLabels|labels)$/;
const POD_ANNOTATIONS = /(^|\.)podAnnotations$/;

const RESTRICTED_HINT = 'Pod Security "restricted"; a named security exception in the service spec is the only way to relax it';

function int(minimum: number, description: string): Schema {
  return { type: 'integer', minimum, description };
}

function seccompProfile(o: SecurityOptions): Schema {
  const types = ['RuntimeDefault', 'Localhost', ...(o.allow.has('seccompOverride') ? ['Unconfined'] : [])];
  return {
    type: 'object', required: ['type'], additionalProperties: false,
    description: `Seccomp profile: ${types.join(' or ')} (${RESTRICTED_HINT})`,
    properties: { type: { type: 'string', enum: types }, localhostProfile: { type: 'string', minLength: 1 } },
    if: { properties: { type: { const: 'Localhost' } } },
    then: { required: ['localhostProfile'] },
    // Kubernetes refuses localhostProfile with any other type.
    else: { properties: { localhostProfile: false } },
  };
}

/** runAsNonRoot / runAsUser / runAsGroup: non-root unless the spec allows `runAsRoot`. */
function identity(o: SecurityOptions): Record<string, Schema> {
  if (o.allow.has('runAsRoot')) {
    return { runAsNonRoot: { type: 'boolean' }, runAsUser: int(0, 'uid (root allowed by a security exception)'), runAsGroup: int(0, 'gid (root allowed by a security exception)') };
  }
  return {
    runAsNonRoot: { type: 'boolean', enum: [true], description: `Must be true (${RESTRICTED_HINT})` },
    runAsUser: int(1, 'Numeric uid, not 0 (root)'),
    runAsGroup: o.rootGroup ? int(0, 'Numeric gid (0 chosen in the spec: security.runAsGroup)') : int(1, 'Numeric gid, not 0 (root)'),
  };
}

/** The pod security context, closed to "restricted". */
export function podSecurityContextSchema(o: SecurityOptions, description: string): Schema {
  return {
    type: 'object', additionalProperties: false, description: `${description}; closed to ${RESTRICTED_HINT}`,
    required: [...(o.allow.has('runAsRoot') ? [] : ['runAsNonRoot']), 'seccompProfile'],
    properties: {
      ...identity(o),
      fsGroup: int(0, 'fsGroup of mounted volumes'),
      fsGroupChangePolicy: { type: 'string', enum: ['OnRootMismatch', 'Always'] },
      supplementalGroups: { type: 'array', items: { type: 'integer', minimum: 0 } },
      sysctls: {
        type: 'array', description: 'Only net.ipv4.ip_unprivileged_port_start (lets a non-root process bind a port below 1024)',
        items: {
          type: 'object', additionalProperties: false, required: ['name', 'value'],
          properties: { name: { type: 'string', enum: ['net.ipv4.ip_unprivileged_port_start'] }, value: { type: 'string', pattern: '^[0-9]{1,5}$' } },
        },
      },
      seccompProfile: seccompProfile(o),
    },
  };
}

/** A container security context, closed to "restricted". */
export function containerSecurityContextSchema(o: SecurityOptions, description: string): Schema {
  return {
    type: 'object', additionalProperties: false, description: `${description}; closed to ${RESTRICTED_HINT}`,
    required: ['allowPrivilegeEscalation', 'capabilities', ...(o.readOnlyRootFilesystem ? ['readOnlyRootFilesystem'] : [])],
    properties: {
      allowPrivilegeEscalation: { type: 'boolean', enum: [false], description: 'Must be false' },
      privileged: { type: 'boolean', enum: [false], description: 'Must be false' },
      capabilities: {
        type: 'object', additionalProperties: false, required: ['drop'],
        description: 'drop must contain ALL; add may hold only NET_BIND_SERVICE',
        properties: {
          drop: { type: 'array', items: { type: 'string' }, contains: { const: 'ALL' } },
          add: { type: 'array', items: { type: 'string', enum: ['NET_BIND_SERVICE'] } },
        },
      },
      readOnlyRootFilesystem: o.readOnlyRootFilesystem
        ? { type: 'boolean', enum: [true], description: 'Must be true (the service declares a read-only root filesystem; writable paths are emptyDir mounts)' }
        : { type: 'boolean' },
      procMount: { type: 'string', enum: ['Default'] },
      ...identity(o),
      seccompProfile: seccompProfile(o),
    },
  };
}

/** A label map whose keys cannot be the selector keys. */
export function labelMapSchema(description: string): Schema {
  return {
    type: 'object', additionalProperties: { type: 'string' },
    // patternProperties with a false schema, not propertyNames: every helm names the offending key then.
    patternProperties: { [`^(${SELECTOR_LABEL_KEYS.map(escapeRegExp).join('|')})$`]: false },
    description: `${description}; may not set the selector labels ${SELECTOR_LABEL_KEYS.join(', ')} (they follow the chart name and the release)`,
  };
}

/** Pod annotations: no AppArmor / seccomp keys unless the spec's exception allows them. */
export function podAnnotationsSchema(o: SecurityOptions, description: string): Schema {
  const refused = SECURITY_ANNOTATION_FAMILIES.filter((f) => !o.allow.has(f.allow));
  if (!refused.length) return { type: 'object', additionalProperties: { type: 'string' }, description };
  return {
    type: 'object', additionalProperties: { type: 'string' },
    patternProperties: Object.fromEntries(refused.map((f) => [familyPattern(f), false])),
    description: `${description}; may not set ${refused.map((f) => `${f.what} (${f.prefixes.join('*, ')}*)`).join(' or ')} without a named security exception (${refused.map((f) => f.allow).join(', ')})`,
  };
}

/** The schema of a values key this module owns, if any; `required` when helm must not drop it (`null`). */
export function securityLeafSchema(key: string, doc: string, o: SecurityOptions): { schema: Schema; required: boolean } | undefined {
  if (POD_CONTEXT.test(key)) return { schema: podSecurityContextSchema(o, doc), required: true };
  if (CONTAINER_CONTEXT.test(key)) return { schema: containerSecurityContextSchema(o, doc), required: true };
  if (LABELS.test(key)) return { schema: labelMapSchema(doc), required: false };
  if (POD_ANNOTATIONS.test(key)) return { schema: podAnnotationsSchema(o, doc), required: false };
  return undefined;
}
