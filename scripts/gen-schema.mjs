// Generates schema/slipway.schema.json from src/spec/types.ts (the single source of the spec).
// Usage: node scripts/gen-schema.mjs [--check]
import { createGenerator } from 'ts-json-schema-generator';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';

const out = new URL('../schema/slipway.schema.json', import.meta.url);
const schema = createGenerator({
  path: new URL('../src/spec/types.ts', import.meta.url).pathname,
  tsconfig: new URL('../tsconfig.json', import.meta.url).pathname,
  type: 'ServiceSpec',
  additionalProperties: false,
  sortProps: true,
  topRef: true,
  jsDoc: 'extended',
}).createSchema('ServiceSpec');
schema.$id = 'https://slipway.dev/schema/v1alpha1/service.json';
schema.title = 'Slipway service spec';
const text = JSON.stringify(schema, null, 2) + '\n';
if (process.argv.includes('--check')) {
  let current = '';
  try { current = readFileSync(out, 'utf8'); } catch { /* missing */ }
  if (current !== text) {
    console.error('schema/slipway.schema.json is stale: run `npm run schema`');
    process.exit(1);
  }
} else {
  mkdirSync(new URL('../schema/', import.meta.url), { recursive: true });
  writeFileSync(out, text);
}
