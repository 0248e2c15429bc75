#!/usr/bin/env node
// Generates offline, *strict* JSON schemas for kubeconform from
//   1. the Kubernetes API definitions cdk8s uses (k8s-schemas/v1.28.0/_definitions.json), and
//   2. CustomResourceDefinition files (crds/*.yaml: ExternalSecret, ServiceMonitor, HTTPRoute, ...).
//
// Layout matches kubeconform's `-schema-location '<dir>/{{ .ResourceKind }}{{ .KindSuffix }}.json'`:
// the lower-cased kind, then "-<first label of the API group>" (omitted for the core group), then
// "-<version>", e.g. deployment-apps-v1.json, service-v1.json, externalsecret-external-secrets-v1beta1.json.
//
// "Strict" follows kubeconform's strict schemas (yannh/kubernetes-json-schema *-strict and
// kubeconform's openapi2jsonschema.py with DENY_ROOT_ADDITIONAL_PROPERTIES): every object schema
// that lists `properties` gets `additionalProperties: false`, so unknown fields are errors. Free-form
// maps (labels: additionalProperties {type: string}) and x-kubernetes-preserve-unknown-fields stay open.
// Optional typed fields also accept null, as the API server does.
//
// Usage: node gen-kubeconform-schemas.mjs <_definitions.json> <crd dir>[:<crd dir>...] <out dir>
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

const [defsFile, crdDir, outDir] = process.argv.slice(2);
if (!defsFile || !crdDir || !outDir) {
  console.error('usage: gen-kubeconform-schemas.mjs <_definitions.json> <crd dir> <out dir>');
  process.exit(2);
}

/** kubeconform's file name for a kind in group/version. */
function fileName(kind, group, version) {
  const groupPart = group ? `-${group.split('.')[0].toLowerCase()}` : '';
  return `${kind.toLowerCase()}${groupPart}-${version.toLowerCase()}.json`;
}

/** Recursively applies strictness (and null for optional typed fields) to a schema, in place. */
function strictify(schema) {
  if (!schema || typeof schema !== 'object') return;
  if (schema.nullable === true && typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  if (schema.properties) {
    if (schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
      schema.additionalProperties = false;
    }
    const required = new Set(schema.required ?? []);
    for (const [name, prop] of Object.entries(schema.properties)) {
      if (!required.has(name) && typeof prop.type === 'string') prop.type = [prop.type, 'null'];
      strictify(prop);
    }
  }
  // Recurse only into keywords whose values are schemas (a field may be *named* "properties").
  for (const key of ['additionalProperties', 'items', 'not']) strictify(schema[key]);
  for (const key of ['allOf', 'anyOf', 'oneOf']) (schema[key] ?? []).forEach(strictify);
  if (Array.isArray(schema.items)) schema.items.forEach(strictify);
}

/** Names of the definitions reachable from a schema via "#/definitions/..." refs. */
function reachable(schema, defs, seen = new Set()) {
  JSON.stringify(schema, (key, value) => {
    if (key === '$ref' && typeof value === 'string') {
      const name = value.replace('#/definitions/', '');
      if (!seen.has(name) && defs[name]) { seen.add(name); reachable(defs[name], defs, seen); }
    }
    return value;
  });
  return seen;
}

fs.mkdirSync(outDir, { recursive: true });
let count = 0;
const write = (name, schema) => {
  fs.writeFileSync(path.join(outDir, name), JSON.stringify(schema, null, 2) + '\n');
  count++;
};

// 1. Kubernetes built-in kinds: each file is standalone (only the definitions it references).
const defs = JSON.parse(fs.readFileSync(defsFile, 'utf8')).definitions;
const strictDefs = structuredClone(defs);
Object.values(strictDefs).forEach(strictify);
// Scalar definitions referenced by $ref (Time, MicroTime, ...) accept null like optional fields do
// (e.g. `creationTimestamp: null`, which kubectl and helm emit).
for (const def of Object.values(strictDefs)) if (def.type === 'string') def.type = ['string', 'null'];
for (const [name, def] of Object.entries(defs)) {
  const gvks = def['x-kubernetes-group-version-kind'] ?? [];
  // Skip meta kinds registered in every group (DeleteOptions, WatchEvent, ...).
  if (gvks.length !== 1) continue;
  const { group, version, kind } = gvks[0];
  const schema = { $schema: 'http://json-schema.org/draft-07/schema#', ...strictDefs[name] };
  const used = reachable(def, defs);
  if (used.size) schema.definitions = Object.fromEntries([...used].sort().map((n) => [n, strictDefs[n]]));
  write(fileName(kind, group, version), schema);
}

// 2. CRDs: one file per served version of each CustomResourceDefinition.
const crdFiles = crdDir.split(path.delimiter).filter(Boolean)
  .flatMap((dir) => fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f)));
for (const file of crdFiles) {
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    const crd = doc.toJS();
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const { group, names, versions } = crd.spec;
    for (const v of versions) {
      const openapi = v.schema?.openAPIV3Schema;
      if (!openapi || v.served === false) continue;
      const schema = { $schema: 'http://json-schema.org/draft-07/schema#', ...structuredClone(openapi) };
      strictify(schema);
      write(fileName(names.kind, group, v.name), schema);
    }
  }
}
console.log(`wrote ${count} schemas to ${outDir}`);
