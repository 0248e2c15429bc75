/**
 * Hostile input for environments and Argo CD Applications: each bad override gives a located
 * error (file:line, field path) and nothing is rendered; a seeded random walk over override values
 * full of template, YAML and shell syntax shows every value round-trips exactly through
 * values-<env>.yaml (real helm: `helm template -f` equals the environment's manifests, and the
 * ConfigMap holds the exact string). `SLIPWAY_FUZZ_CASES` (default 4) / `SLIPWAY_FUZZ_SEED` size
 * and seed the random part.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { loadSpecText } from '../../src/spec/load';
import { synthFiles } from '../../src/app/synth';
import { helmBinaries } from '../support/helm';
import { byKindName, parseStream, template } from '../chart/fixture';
import { rng } from '../support/random-spec';

const BASE = 'name: web\nversion: 1.0.0\nimage: { repository: acme/web }\nports: [{ name: http, containerPort: 8080 }]\nconfig: { env: { A: "1" } }\ningress: { hosts: [{ host: web.example.com }] }\n';
const ARGO = 'gitops: { argocd: { repoURL: "https://git.example.com/r.git" } }\n';

/** The error of loading and synthesizing a spec, or undefined. */
function synthError(yaml: string): string | undefined {
  try {
    synthFiles(loadSpecText(yaml, 'spec.yaml'));
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const CORPUS: [string, string, RegExp][] = [
  ['a path as environment name', `${BASE}environments:\n  ../etc: {}\n`, /spec\.yaml:8:\d+: environments\["\.\.\/etc"\]: environment name must be lower-case/],
  ['a slash in the environment name', `${BASE}environments:\n  a/b: {}\n`, /spec\.yaml:8:\d+: environments\["a\/b"\]: environment name must be/],
  ['__proto__ as environment name', `${BASE}environments:\n  __proto__: { replicas: 3 }\n`, /spec\.yaml:8:\d+: environments\.__proto__: "__proto__" cannot be a key/],
  ['an environment name of 64 characters', `${BASE}environments:\n  ${'e'.repeat(64)}: {}\n`, /spec\.yaml:8:\d+: environments\.e{64}: environment name must be at most 63 characters/],
  ['the reserved name argocd', `${BASE}environments:\n  argocd: {}\n`, /environments\.argocd: environment name "argocd" is reserved/],
  ['a namespace with a space', `${BASE}environments:\n  dev: { namespace: "shop dev" }\n`, /spec\.yaml:8:\d+: environments\.dev\.namespace: /],
  ['a cluster server with a line break', `${BASE}environments:\n  dev: { clusters: [{ name: a, server: "https://a\\nb" }] }\n`, /spec\.yaml:8:\d+: environments\.dev\.clusters\[0\]\.server: must be the cluster API server URL/],
  ['a cluster name in upper case', `${BASE}environments:\n  dev: { clusters: [{ name: EU }] }\n`, /environments\.dev\.clusters\[0\]\.name: /],
  ['ingress annotations (not an override)', `${BASE}environments:\n  dev: { ingress: { annotations: { a: b } } }\n`, /spec\.yaml:8:\d+: environments\.dev\.ingress\.annotations: unknown field/],
  ['a nested x- field', `${BASE}environments:\n  dev: { x-note: hi }\n`, /environments\.dev\.x-note: unknown field/],
  ['an image tag with a line break', `${BASE}environments:\n  dev: { image: { tag: "1.0\\nx: y" } }\n`, /spec\.yaml:8:\d+: environments\.dev\.image\.tag: /],
  ['an env name with a space', `${BASE}environments:\n  dev: { env: { "BAD NAME": x } }\n`, /spec\.yaml:8:\d+: environments\.dev\.env\["BAD NAME"\]: /],
  ['environments as a list', `${BASE}environments: [dev, prod]\n`, /spec\.yaml:7:\d+: environments: must be object/],
  ['an override of the wrong type', `${BASE}environments:\n  dev: { replicas: "3" }\n`, /environments\.dev\.replicas: must be integer/],
  ['an ingress host that is not a hostname', `${BASE}environments:\n  dev: { ingress: { hosts: [{ host: "*.*.example.com" }] } }\n`, /environments\.dev\.ingress\.hosts\[0\]\.host: .*\(environment "dev" changes `ingress\.hosts\[0\]\.host`\)/],
  ['a merge key (YAML 1.2 has none: `<<` is a plain key)', `${BASE}x-d: &d { replicas: 2 }\nenvironments:\n  dev: { <<: *d }\n`, /spec\.yaml:9:\d+: environments\.dev\["<<"\]: unknown field/],
  ['an alias that brings an unknown field', `${BASE}x-d: &d { replica: 2 }\nenvironments:\n  dev: *d\n`, /environments\.dev\.replica: unknown field; did you mean "replicas"/],
  ['an argocd repoURL missing', `${BASE}gitops: { argocd: { project: p } }\n`, /spec\.yaml:7:\d+: gitops\.argocd: missing required field "repoURL"/],
  ['an argocd applicationSet that is not a boolean', `${BASE}gitops: { argocd: { repoURL: x, applicationSet: "{{ .name }}" } }\n`, /spec\.yaml:7:\d+: gitops\.argocd\.applicationSet: /],
  ['an argocd source that is not chart or manifests', `${BASE}gitops: { argocd: { repoURL: x, source: kustomize } }\n`, /gitops\.argocd\.source: must be one of "chart", "manifests"/],
];

describe('hostile input: environments and Argo CD (located errors, nothing rendered)', () => {
  for (const [what, yaml, message] of CORPUS) {
    it(what, () => {
      const err = synthError(yaml);
      expect(err, 'must be refused').toBeDefined();
      expect(err).toMatch(message);
    });
  }
});

const NASTY = ['{{ .Release.Name }}', '{{- fail "x" }}', "it's", '"quoted"', 'a: b', '# not a comment', 'line\nbreak', '${HOME}', '$(rm -rf /)', '`id`', 'ünïcødé ✓', '  padded  ', 'null', 'true', '0x1F', '~', '*alias', '&anchor', '<<', '%YAML', '---', '...', '[1, 2]', '{a: 1}', '\\', ''];
const CASES = Number(process.env.SLIPWAY_FUZZ_CASES ?? 4);
const SEED = Number(process.env.SLIPWAY_FUZZ_SEED ?? 16);

describe(`hostile values round-trip through values-<env>.yaml (seed ${SEED}, ${CASES} cases)`, () => {
  const r = rng(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const bin = helmBinaries()[helmBinaries().length - 1];
  for (let i = 0; i < CASES; i++) {
    const env: Record<string, string> = { A: pick(NASTY) + pick(NASTY), [`V_${i}`]: pick(NASTY) };
    const replicas = 2 + Math.floor(r() * 8);
    const host = `${pick(['a', 'b-1', 'x'])}.${pick(['dev', 'stage'])}.example.com`;
    const spec = `${BASE}${ARGO}${stringify({ environments: { dev: { replicas, env, ingress: { hosts: [{ host }] } } } })}`;
    it(`case ${i}: ${JSON.stringify(env)} (${bin.name})`, () => {
      const files = synthFiles(loadSpecText(spec, 'spec.yaml'));
      const dir = mkdtempSync(join(tmpdir(), 'slipway-hostile-envs-'));
      for (const [rel, text] of files) {
        mkdirSync(dirname(join(dir, rel)), { recursive: true });
        writeFileSync(join(dir, rel), text);
      }
      const chart = join(dir, 'web/chart/web');
      const rendered = byKindName(template(bin, 'web', chart, ['-f', join(chart, 'values-dev.yaml')]));
      const expected = byKindName(parseStream(files.get('dev/web/manifests/web.k8s.yaml')!));
      expect(rendered).toEqual(expected);
      expect(expected['ConfigMap/web-env'].data).toEqual(env);
      expect(expected['Ingress/web'].spec.rules[0].host).toBe(host);
    });
  }
});
