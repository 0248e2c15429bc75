/** Shared helpers of the image tests: fixtures, rendering, parsing Dockerfiles, hadolint. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerfileParser, type Dockerfile, type From, type Instruction, type JSONInstruction, type ModifiableInstruction } from 'dockerfile-ast';
import { loadSpecFile, loadSpecText } from '../../src/spec/load';
import type { ServiceModel } from '../../src/model/types';
import { renderImage } from '../../src/image';
import { toolPath } from '../support/tools';

/** Story-like spec files of the image tests. */
export const FIXTURES = join(__dirname, 'fixtures');
/** The repository root. */
export const ROOT = join(__dirname, '..', '..');

/** The model of a fixture spec (test/image/fixtures/<name>.yaml), loaded like any spec file. */
export function fixture(name: string): ServiceModel {
  return loadSpecFile(join(FIXTURES, `${name}.yaml`))[0].model;
}

/** Every fixture name. */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
}

/** The model of an inline spec. */
export function modelOf(yaml: string): ServiceModel {
  return loadSpecText(yaml, 'spec.yaml')[0].model;
}

/** A minimal service with the given build block (YAML, indented under `build:`). */
export function withBuild(build: string, extra = ''): ServiceModel {
  return modelOf(`name: web\nversion: 1.2.3\nimage: { registry: ghcr.io, repository: acme/web }\nports: [{ name: http, containerPort: 8080 }]\n${extra}build:\n${build}\n`);
}

/** The image files of a model. */
export function files(model: ServiceModel): Record<string, string> {
  return renderImage(model);
}

/** A Dockerfile parsed by dockerfile-ast (the parser of the VS Code Docker language server). */
export function parse(text: string): Dockerfile {
  return DockerfileParser.parse(text);
}

/** Instructions with this keyword. */
export function instructions(df: Dockerfile, keyword: string): Instruction[] {
  return df.getInstructions().filter((i) => i.getKeyword() === keyword);
}

/** The instructions of one stage (by its `AS` name). */
export function stage(df: Dockerfile, name: string): Instruction[] {
  const all = df.getInstructions();
  const start = all.findIndex((i) => i.getKeyword() === 'FROM' && (i as From).getBuildStage() === name);
  if (start < 0) throw new Error(`no stage ${name}`);
  const end = all.findIndex((i, n) => n > start && i.getKeyword() === 'FROM');
  return all.slice(start, end < 0 ? undefined : end);
}

/** The exec-form array of an ENTRYPOINT/CMD instruction. */
export function execArgs(i: Instruction): string[] {
  return (i as JSONInstruction).getJSONStrings().map((s) => s.getJSONValue());
}

/** An instruction's flags (`--from=x`, `--mount=...`) and arguments, space-separated (continuations joined). */
export function argText(i: Instruction): string {
  const flags = 'getFlags' in i ? (i as ModifiableInstruction).getFlags().map((f) => `--${f.getName()}${f.getValue() === null ? '' : `=${f.getValue()}`}`) : [];
  return [...flags, ...i.getArguments().map((a) => a.getValue())].join(' ');
}

const temporary: string[] = [];

/** A new temporary directory, removed by cleanupTempDirs (call it in afterAll). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `slipway-${prefix}-`));
  temporary.push(dir);
  return dir;
}

/** Removes the directories tempDir made. */
export function cleanupTempDirs(): void {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** hadolint's findings (JSON, every level: error, warning, info, style) for a Dockerfile. */
export function hadolint(text: string): { code: string; level: string; line: number; message: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-hadolint-'));
  const file = join(dir, 'Dockerfile');
  writeFileSync(file, text);
  const r = spawnSync(toolPath('hadolint'), ['--no-color', '-f', 'json', '--no-fail', file], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`hadolint failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The version line of a tool (for test names and failure messages). */
export function versionOf(tool: string, args = ['--version']): string {
  return execFileSync(tool, args, { encoding: 'utf8' }).split('\n')[0];
}
