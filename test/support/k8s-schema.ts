/**
 * Strict validation of Kubernetes objects against the 1.28 API schema
 * (../shared/k8s-schemas/v1.28.0/_definitions.json, the one cdk8s-plus-28 was generated from).
 * "Strict": every object definition with properties gets `additionalProperties: false`, so an
 * unknown field is an error, as with the API server's fieldValidation=Strict.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SHARED = join(__dirname, '..', '..', '..', 'shared');
const DEFINITIONS = join(SHARED, 'k8s-schemas', 'v1.28.0', '_definitions.json');

let ajv: Ajv | undefined;
const byGvk = new Map<string, string>();
const cache = new Map<string, ValidateFunction>();

function load(): Ajv {
  if (ajv) return ajv;
  const { definitions } = JSON.parse(readFileSync(DEFINITIONS, 'utf8')) as { definitions: Record<string, any> };
  for (const [name, def] of Object.entries(definitions)) {
    if (def.properties && def.additionalProperties === undefined) def.additionalProperties = false;
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
      byGvk.set(`${gvk.group ? `${gvk.group}/` : ''}${gvk.version}/${gvk.kind}`, name);
    }
  }
  ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  ajv.addSchema({ $id: 'k8s', definitions });
  return ajv;
}

/** Errors of one object (`kind/name: path message`); empty when valid. Unknown kinds are errors. */
export function validateK8sObject(obj: any): string[] {
  const a = load();
  const key = `${obj.apiVersion}/${obj.kind}`;
  const def = byGvk.get(key);
  const id = `${obj.kind}/${obj.metadata?.name}`;
  if (!def) return [`${id}: no schema for ${key} in Kubernetes 1.28`];
  let validate = cache.get(def);
  if (!validate) {
    validate = a.compile({ $ref: `k8s#/definitions/${def}` });
    cache.set(def, validate);
  }
  if (validate(obj)) return [];
  return (validate.errors ?? []).map((e) => `${id}: ${e.instancePath || '/'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${(e.params as any).additionalProperty})` : ''}`);
}

/** True when the apiVersion/kind is a core Kubernetes type known to the 1.28 schema. */
export function isCoreKind(obj: any): boolean {
  load();
  return byGvk.has(`${obj.apiVersion}/${obj.kind}`);
}
