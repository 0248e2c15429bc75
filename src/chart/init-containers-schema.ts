/**
 * values.schema.json shape of `initContainers`: a list of containers closed to the fields Slipway
 * renders (name, image, imagePullPolicy, command, args, env, resources, securityContext,
 * volumeMounts), each with a required securityContext closed to Pod Security "restricted" like
 * the main container's (chart/security-schema.ts). A value can add or change init containers but
 * not make one privileged, escalate, add a capability, run as root (without the spec's
 * exception), use the host's namespaces or ports, or run as a restartable (native) sidecar.
 */
import { containerSecurityContextSchema, type SecurityOptions } from './security-schema';

type Schema = Record<string, unknown>;

const stringList: Schema = { type: 'array', items: { type: 'string' } };
const quantities: Schema = { type: 'object', additionalProperties: { type: ['string', 'number'] } };

/** The schema of the `initContainers` values key, or undefined for other keys. */
export function initContainersLeafSchema(key: string, doc: string, security: SecurityOptions): Schema | undefined {
  if (key !== 'initContainers') return undefined;
  return {
    description: doc,
    type: 'array',
    items: {
      type: 'object',
      required: ['name', 'image', 'securityContext'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 63 },
        image: { type: 'string', minLength: 1, pattern: '^[^\\s]+$' },
        imagePullPolicy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] },
        command: stringList,
        args: stringList,
        workingDir: { type: 'string', pattern: '^/' },
        env: {
          type: 'array',
          items: {
            type: 'object', required: ['name'], additionalProperties: false,
            properties: { name: { type: 'string', minLength: 1 }, value: { type: 'string' }, valueFrom: { type: 'object' } },
          },
        },
        resources: { type: 'object', additionalProperties: false, properties: { requests: quantities, limits: quantities } },
        securityContext: containerSecurityContextSchema(security, 'Security context of the init container'),
        volumeMounts: {
          type: 'array',
          items: {
            type: 'object', required: ['name', 'mountPath'], additionalProperties: false,
            properties: { name: { type: 'string', minLength: 1 }, mountPath: { type: 'string', pattern: '^/' }, readOnly: { type: 'boolean' }, subPath: { type: 'string' } },
          },
        },
      },
    },
  };
}
