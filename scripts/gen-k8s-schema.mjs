// Generates schema/k8s-1.28.json: the Kubernetes 1.28 API definitions and the CRD schemas
// (../shared/k8s-schemas, ../shared/crds; see ../shared/crds/SOURCES.md), made strict (every
// object schema that lists properties allows no others, as fieldValidation=Strict) and stripped
// of descriptions. src/model/k8s-schema.ts validates `extraObjects` and patched objects with it.
// Usage: node scripts/gen-k8s-schema.mjs [shared-dir] [output-file]
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const shared = process.argv[2] ?? new URL('../../shared', new URL('..', import.meta.url)).pathname;
const { definitions } = JSON.parse(readFileSync(join(shared, 'k8s-schemas', 'v1.28.0', '_definitions.json'), 'utf8'));

function strip(schema, crd) {
  if (Array.isArray(schema)) return schema.map((s) => strip(s, crd));
  if (!schema || typeof schema !== 'object') return schema;
  const out = {};
  for (const k of Object.keys(schema).sort()) {
    if (k === 'description' || (k.startsWith('x-kubernetes-') && k !== 'x-kubernetes-preserve-unknown-fields')) continue;
    const v = schema[k];
    out[k] = k === 'properties' ? Object.fromEntries(Object.keys(v).sort().map((p) => [p, strip(v[p], crd)])) : strip(v, crd);
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  return out;
}

const kinds = {};
const defs = {};
for (const name of Object.keys(definitions).sort()) {
  const def = definitions[name];
  defs[name] = strip(def);
  for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
    if (gvk.kind.endsWith('List') || ['DeleteOptions', 'WatchEvent', 'Status', 'APIGroup', 'APIGroupList', 'APIResourceList', 'APIVersions', 'Scale', 'Eviction', 'TokenRequest', 'TokenReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectReview', 'Binding'].includes(gvk.kind)) continue;
    kinds[`${gvk.group ? `${gvk.group}/` : ''}${gvk.version}/${gvk.kind}`] = { $ref: `#/definitions/${name}` };
  }
}
const crdDir = join(shared, 'crds');
for (const file of readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort()) {
  const crd = parse(readFileSync(join(crdDir, file), 'utf8'));
  if (crd?.kind !== 'CustomResourceDefinition') continue;
  for (const version of crd.spec.versions) {
    if (!version.served) continue;
    const schema = strip(version.schema.openAPIV3Schema, true);
    schema.properties.metadata = { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' };
    schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind', 'metadata'])];
    kinds[`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`] = { ...schema, 'x-slipway-scope': crd.spec.scope };
  }
}
const out = process.argv[3] ? resolve(process.argv[3]) : new URL('../schema/k8s-1.28.json', import.meta.url).pathname;
writeFileSync(out, `${JSON.stringify({ kinds: Object.fromEntries(Object.keys(kinds).sort().map((k) => [k, kinds[k]])), definitions: defs })}\n`);
console.log(`wrote ${out}: ${Object.keys(kinds).length} kinds`);
