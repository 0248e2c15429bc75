/**
 * Strict validation of custom resources against the openAPIV3Schema of their CRDs
 * (../shared/crds/*.yaml, the upstream files the constructs in src/imports/ were generated from, and
 * test/crds/*.yaml, the CRDs the repository adds: the ApplicationSet).
 * "Strict", as with the API server's fieldValidation=Strict: every object schema with
 * `properties` and neither `additionalProperties` nor `x-kubernetes-preserve-unknown-fields`
 * gets `additionalProperties: false`, and `metadata` is checked against the Kubernetes 1.28
 * ObjectMeta. Not evaluated: CEL rules (`x-kubernetes-validations`) and string formats.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const SHARED = join(__dirname, '..', '..', '..', 'shared');
const CRDS = join(SHARED, 'crds');
const REPO_CRDS = join(__dirname, '..', 'crds');
const DEFINITIONS = join(SHARED, 'k8s-schemas', 'v1.28.0', '_definitions.json');
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** Validators by `group/version/Kind`, compiled on first use (the ApplicationSet CRD alone takes seconds). */
let validators: Map<string, () => ValidateFunction> | undefined;

/** Adds `additionalProperties: false` wherever a schema lists properties and allows nothing else. */
export function strictify(schema: any): any {
  if (Array.isArray(schema)) return schema.map(strictify);
  if (!schema || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, strictify(s)])) : strictify(v);
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

function load(): Map<string, () => ValidateFunction> {
  if (validators) return validators;
  validators = new Map();
  const { definitions } = JSON.parse(readFileSync(DEFINITIONS, 'utf8')) as { definitions: Record<string, any> };
  for (const def of Object.values(definitions)) {
    if (def.properties && def.additionalProperties === undefined) def.additionalProperties = false;
  }
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
  ajv.addSchema({ $id: 'k8s', definitions });
  for (const file of [CRDS, REPO_CRDS].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f)))) {
    const crd = parse(readFileSync(file, 'utf8'));
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    for (const version of crd.spec.versions) {
      const schema = strictify(version.schema.openAPIV3Schema);
      schema.properties.metadata = { $ref: `k8s#/definitions/${OBJECT_META}` };
      schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind', 'metadata'])];
      let compiled: ValidateFunction | undefined;
      validators.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, () => (compiled ??= ajv.compile(schema)));
    }
  }
  return validators;
}

/** True when a CRD in ../shared/crds or test/crds defines the object's apiVersion and kind. */
export function hasCrd(obj: any): boolean {
  return load().has(`${obj.apiVersion}/${obj.kind}`);
}

/** Errors of one custom resource (`kind/name: path message`); empty when valid. Unknown kinds are errors. */
export function validateCustomResource(obj: any): string[] {
  const id = `${obj.kind}/${obj.metadata?.name}`;
  const validate = load().get(`${obj.apiVersion}/${obj.kind}`)?.();
  if (!validate) return [`${id}: no CRD for ${obj.apiVersion}/${obj.kind} in ${CRDS} nor ${REPO_CRDS}`];
  if (validate(obj)) return [];
  return (validate.errors ?? []).map((e) => `${id}: ${e.instancePath || '/'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${(e.params as any).additionalProperty})` : ''}`);
}
