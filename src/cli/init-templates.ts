/** The files `slipway init` writes. Kept apart from the command so each stays readable. */
import { kindBody, type InitKind } from './init-kinds';

/** What a scaffolded service spec is made of. */
export interface SpecTemplateInput {
  readonly name: string;
  readonly registry?: string;
  readonly repository: string;
  readonly tag?: string;
  readonly port: number;
  readonly preset?: string;
  /** What the service is (init-kinds.ts). @default "web" */
  readonly kind?: InitKind;
  /** The image is init's placeholder (no --image given): say so next to it. @default false */
  readonly placeholder?: boolean;
}

/** A service spec that validates without errors or policy warnings. */
export function specYaml(i: SpecTemplateInput): string {
  const image = [
    ...(i.registry ? [`  registry: ${i.registry}`] : []),
    `  repository: ${i.repository}`,
    ...(i.tag ? [`  tag: "${i.tag}"${i.placeholder ? '   # placeholder: your image and the tag that runs (slipway init --image)' : ''}`] : []),
  ];
  const build = i.preset
    ? [`build:`, `  preset: ${i.preset}`]
    : [`# Uncomment to also write image/Dockerfile, docker-bake.hcl and .dockerignore:`, `# build:`, `#   preset: node      # go | python | node | static`];
  return [
    `# yaml-language-server: $schema=../node_modules/slipway/schema/slipway.schema.json`,
    `# The one declaration of ${i.name}. \`npm run synth\` writes its Kubernetes manifests, Helm chart`,
    `# and image definition to dist/${i.name}/; \`npm run validate\` checks it. Every field and its default`,
    `# is documented in the JSON Schema linked above.`,
    `apiVersion: slipway.dev/v1alpha1`,
    `kind: Service`,
    `name: ${i.name}`,
    `version: "${i.tag && /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/.test(i.tag) && i.tag.length <= 63 ? i.tag : '0.1.0'}"   # app.kubernetes.io/version and the chart's appVersion`,
    `# image.tag is the one home of the tag that runs (Renovate updates it; see Slipway's docs/renovate.md).`,
    `image:`,
    ...image,
    ...kindBody(i.kind ?? 'web', i.name, i.port),
    `resources:`,
    `  requests: { cpu: 100m, memory: 128Mi }`,
    `  limits: { memory: 256Mi }`,
    ...build,
    ``,
  ].join('\n');
}

/** package.json of a new GitOps repository. */
export function packageJson(name: string, versions: { slipway: string; cdk8sCli: string }): string {
  return `${JSON.stringify({
    name,
    version: '0.1.0',
    private: true,
    description: 'GitOps repository: Kubernetes manifests, Helm charts and image definitions rendered by Slipway',
    scripts: {
      synth: 'slipway synth services -o dist',
      validate: 'slipway validate services',
      diff: 'slipway diff services -o dist',
    },
    devDependencies: {
      'cdk8s-cli': versions.cdk8sCli,
      slipway: versions.slipway,
    },
  }, null, 2)}\n`;
}

/** cdk8s.yaml: `npx cdk8s synth` runs plain JavaScript (no ts-node, nothing to compile). */
export const CDK8S_YAML = `# \`npx cdk8s synth\` runs main.js (plain JavaScript: no compile step, no ts-node) and writes dist/.
language: typescript
app: node main.js
output: dist
`;

/** main.js: the cdk8s app, which renders services/ exactly as `npm run synth` does. */
export const MAIN_JS = `#!/usr/bin/env node
// The cdk8s app (cdk8s.yaml): \`npx cdk8s synth\` renders every spec in services/ into dist/
// (per service: manifests, Helm chart, image definition), exactly as \`npm run synth\` does.
// To put your own constructs next to Slipway services, see Slipway's docs/library.md.
const { run } = require('slipway/lib/cli/main');

run(['synth', 'services', '-o', process.env.CDK8S_OUTDIR || 'dist']).then((code) => {
  process.exitCode = code;
});
`;

/** .gitignore: dist/ is committed (Argo CD syncs it); dependencies and temporary outputs are not. */
export const GITIGNORE = `node_modules/
# dist/ is committed: Argo CD syncs it. These are Slipway's temporary output directories
# (present only while a synth runs, or after it was killed; the next synth cleans up):
*.slipway-tmp-*
*.slipway-old-*
*.slipway-lock
*.slipway-journal
`;
