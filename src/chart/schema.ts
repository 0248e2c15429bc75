/**
 * values.schema.json (JSON Schema draft-07), derived from the declared values: types from the
 * defaults, enums and bounds where Kubernetes defines them, string-valued maps for labels,
 * annotations and config, and `additionalProperties: false` on every map whose keys the chart
 * fixes (the top level, image, probes, autoscaling, pdb, ...). Free-form maps (resources,
 * affinity, annotations) stay open. The security contexts, label maps and pod annotations are
 * closed to what the spec promised (chart/security-schema.ts). Helm validates values against it
 * on install, upgrade, template and lint.
 */
import type { ValueParam } from './values';
import { RESTRICTED, securityLeafSchema, type SecurityOptions } from './security-schema';
import { JOB_VALUE_SCHEMAS } from './job-schema';
import { rbacLeafSchema } from './rbac-schema';
import { initContainersLeafSchema } from './init-containers-schema';

type Schema = Record<string, unknown>;

const int = (minimum?: number, maximum?: number): Schema => ({ type: 'integer', ...(minimum !== undefined ? { minimum } : {}), ...(maximum !== undefined ? { maximum } : {}) });
const stringMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };
/** An int or a percentage, as PDB budgets and rolling-update fields take. */
const intOrPercent: Schema = { type: ['integer', 'string'], minimum: 0, pattern: '^[0-9]+%$' };

/** Schemas of keys whose shape is known beyond their default's type (key pattern -> schema). */
const KNOWN: [RegExp, Schema][] = [
  ...JOB_VALUE_SCHEMAS,
  [/^image\.pullPolicy$/, { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] }],
  [/^image\.repository$/, { type: 'string', minLength: 1 }],
  [/^tests\.image$/, { type: 'string', minLength: 1, pattern: '^[^\\s]+$' }],
  [/^image\.tag$/, { type: ['string', 'number'] }],
  [/^image\.digest$/, { type: 'string', pattern: '^(sha256:[a-f0-9]{64})?$' }],
  [/^service\.type$/, { type: 'string', enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] }],
  [/^service\.ports\./, int(1, 65535)],
  [/^pdb\.(minAvailable|maxUnavailable)$/, intOrPercent],
  [/^pdb\.unhealthyPodEvictionPolicy$/, { type: 'string', enum: ['IfHealthyBudget', 'AlwaysAllow'] }],
  [/^replicaCount$/, int(0)],
  [/^statefulSet\.podManagementPolicy$/, { type: 'string', enum: ['OrderedReady', 'Parallel'] }],
  [/^statefulSet\.partition$/, int(0)],
  [/^statefulSet\.persistentVolumeClaimRetentionPolicy$/, { type: 'object', additionalProperties: false, properties: { whenDeleted: { type: 'string', enum: ['Retain', 'Delete'] }, whenScaled: { type: 'string', enum: ['Retain', 'Delete'] } } }],
  [/^persistence\.[^.]+\.size$/, { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$' }],
  [/^persistence\.[^.]+\.accessModes$/, { type: 'array', minItems: 1, items: { type: 'string', enum: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] } }],
  [/^persistence\.[^.]+\.storageClass$/, { type: 'string', minLength: 1 }],
  [/^autoscaling\.(min|max)Replicas$/, int(1)],
  [/^autoscaling\.target\w+Percentage$/, { type: ['integer', 'null'], minimum: 1 }],
  [/Probe\.initialDelaySeconds$/, int(0)],
  [/Probe\.(periodSeconds|timeoutSeconds|failureThreshold)$/, int(1)],
  [/^terminationGracePeriodSeconds$/, int(0)],
  // ExternalSecret values as strict as the spec: the operator's field names, nothing else.
  [/^secrets\.[^.]+\.store$/, { type: 'string', minLength: 1 }],
  [/^secrets\.[^.]+\.storeKind$/, { type: 'string', enum: ['SecretStore', 'ClusterSecretStore'] }],
  [/^secrets\.[^.]+\.refreshInterval$/, { type: 'string', pattern: '^(0|([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$', description: 'A Go duration such as 1h or 15m' }],
  [/^secrets\.[^.]+\.data$/, {
    type: 'array', minItems: 1,
    items: {
      type: 'object', required: ['secretKey', 'remoteRef'], additionalProperties: false,
      properties: {
        secretKey: { type: 'string', pattern: '^[-._a-zA-Z0-9]+$', maxLength: 253, description: 'Key in the Secret' },
        remoteRef: {
          type: 'object', required: ['key'], additionalProperties: false,
          properties: { key: { type: 'string', minLength: 1 }, property: { type: 'string' }, version: { type: 'string' } },
        },
      },
    },
  }],
  [/^(nodeSelector|config\.env|config\.files)$|\.(annotations|values)$/, stringMap],
  [/^imagePullSecrets$/, { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } }, additionalProperties: false } }],
  [/^(tolerations|extraEnvVars|networkPolicy\.(ingress|egress))$/, { type: 'array', items: { type: 'object' } }],
  [/^ingress\.hosts$/, {
    type: 'array', minItems: 1,
    items: {
      type: 'object', required: ['host'], additionalProperties: false,
      properties: {
        host: { type: 'string', minLength: 1 },
        paths: {
          type: 'array', minItems: 1, description: 'Default: [{path: /}]',
          items: {
            type: 'object', required: ['path'], additionalProperties: false,
            properties: { path: { type: 'string', minLength: 1 }, pathType: { type: 'string', enum: ['Prefix', 'Exact', 'ImplementationSpecific'], description: 'Default: Prefix' }, port: { type: 'string', minLength: 1, description: 'A Service port name; default: the first exposed port' } },
          },
        },
      },
    },
  }],
  [/^ingress\.tls$/, { type: 'array', items: { type: 'object', properties: { hosts: { type: 'array', items: { type: 'string' } }, secretName: { type: 'string' } }, additionalProperties: false } }],
];

/** The schema of one leaf key. */
function leafSchema(p: ValueParam): Schema {
  const known = KNOWN.find(([re]) => re.test(p.key))?.[1];
  return { description: p.doc, ...(known ?? typeSchema(p.default)) };
}

function typeSchema(v: unknown): Schema {
  if (typeof v === 'boolean') return { type: 'boolean' };
  if (typeof v === 'number') return { type: Number.isInteger(v) ? 'integer' : 'number' };
  if (typeof v === 'string') return { type: 'string' };
  if (Array.isArray(v)) return { type: 'array' };
  if (v && typeof v === 'object') return { type: 'object' };
  return {};
}

/**
 * The values.schema.json document. `security`: what the spec's named exceptions allow
 * (chart/security-schema.ts `securityOptionsOf`). @default restricted, read-only root
 */
export function valuesSchema(chartName: string, params: readonly ValueParam[], security: SecurityOptions = RESTRICTED): Schema {
  const root: Schema = { type: 'object', properties: {} as Record<string, Schema>, additionalProperties: false };
  for (const p of params) {
    const segs = p.key.split('.');
    let node = root;
    for (const seg of segs.slice(0, -1)) {
      const props = node.properties as Record<string, Schema>;
      props[seg] ??= { type: 'object', properties: {}, additionalProperties: false };
      node = props[seg];
    }
    const leaf = segs[segs.length - 1];
    const secured = securityLeafSchema(p.key, p.doc, security);
    (node.properties as Record<string, Schema>)[leaf] = secured ? secured.schema : rbacLeafSchema(p.key, p.doc, security) ?? initContainersLeafSchema(p.key, p.doc, security) ?? leafSchema(p);
    // Required, so that `--set key=null` (which makes helm drop the key) is refused.
    if (secured?.required) node.required = [...((node.required as string[] | undefined) ?? []), leaf];
  }
  // Helm passes `global` to every chart that is used as a subchart.
  (root.properties as Record<string, Schema>).global = { type: 'object', description: 'Global values (set by a parent chart)' };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `Values of the ${chartName} chart`,
    ...root,
  };
}
