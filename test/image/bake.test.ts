/**
 * docker-bake.hcl and the CI workflow. The bake file is evaluated by the real `docker buildx bake
 * --print` (no daemon needed), the workflow linted by actionlint, when the tools cache has them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { renderImage } from '../../src/image';
import { findTool } from '../support/tools';
import { cleanupTempDirs, files, fixture, fixtureNames, tempDir, withBuild } from './helpers';

/** A tool of the cache, or a printed reason to skip (bootstrap-tools.sh does not install it yet). */
function optionalTool(name: string, install: string): string | undefined {
  const found = findTool(name);
  if (!found) console.warn(`SKIPPED ${name} checks: ${name} not found; install it with \`${install}\` and link it into the tools bin dir`);
  return found;
}
const BUILDX = optionalTool('buildx', 'go install github.com/docker/buildx/cmd/buildx@v0.38.2');
afterAll(cleanupTempDirs);
const ACTIONLINT = optionalTool('actionlint', 'go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12');

/** Writes a fixture's image files (outputDir ".") into a temporary directory. */
function writeOut(name: string): string {
  const dir = tempDir(`bake-${name}`);
  for (const [rel, text] of Object.entries(renderImage(fixture(name), { outputDir: '.' }))) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/** `buildx bake --print` of the bake file in dir, with env overrides: the resolved build definition. */
function bakePrint(dir: string, env: Record<string, string> = {}, targets: string[] = []): any {
  const r = spawnSync(BUILDX!, ['bake', '-f', 'docker-bake.hcl', '--print', ...targets], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`buildx bake --print failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('docker-bake.hcl', () => {
  it.each(fixtureNames())('%s: the final target builds linux/amd64 and linux/arm64; REGISTRY and TAG are variables', (name) => {
    const bake = files(fixture(name))['docker-bake.hcl'];
    expect(bake).toMatch(/platforms = \["linux\/amd64", "linux\/arm64"\]/);
    expect(bake).toContain('variable "REGISTRY" {');
    expect(bake).toContain('variable "TAG" {');
  });

  it.skipIf(!BUILDX).each(fixtureNames())('%s: buildx resolves the default group to the final stage for both platforms', (name) => {
    const model = fixture(name);
    const final = model.build!.targets?.final ?? 'production';
    const printed = bakePrint(writeOut(name));
    expect(printed.group.default.targets).toEqual([final]);
    const image = `${model.image.registry ? `${model.image.registry}/` : ''}${model.image.repository}`;
    expect(printed.target[final]).toEqual({
      context: model.build!.context ?? '.',
      dockerfile: model.build!.context ? `${model.build!.context.split('/').map(() => '..').join('/')}/Dockerfile` : 'Dockerfile',
      target: final,
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: [`${image}:${model.version}`, `${image}:latest`],
    });
  });

  it.skipIf(!BUILDX)('ollama: a target per named stage, built for the local platform, tagged <TAG>-<stage>', () => {
    const printed = bakePrint(writeOut('ollama-openai-proxy'), {}, ['base', 'builder', 'dev', 'ci', 'prod']);
    expect(Object.keys(printed.target).sort()).toEqual(['base', 'builder', 'ci', 'dev', 'prod']);
    expect(printed.target.ci).toEqual({ context: '.', dockerfile: 'Dockerfile', target: 'ci', tags: ['ghcr.io/example/ollama-openai-proxy:1.0.0-ci'] });
  });

  it.skipIf(!BUILDX)('REGISTRY, TAG and REVISION from the environment: sha tag and revision label; no registry for Docker Hub', () => {
    const dir = writeOut('gophership');
    const printed = bakePrint(dir, { REGISTRY: 'registry.example.com', TAG: '9.9.9', REVISION: '0123456789abcdef' });
    expect(printed.target.production.tags).toEqual([
      'registry.example.com/gophership/gophership:9.9.9', 'registry.example.com/gophership/gophership:latest', 'registry.example.com/gophership/gophership:sha-0123456',
    ]);
    expect(printed.target.production.labels).toEqual({ 'org.opencontainers.image.revision': '0123456789abcdef' });
    expect(bakePrint(dir, { REGISTRY: '' }).target.production.tags).toEqual(['gophership/gophership:0.6.3', 'gophership/gophership:latest']);
  });

  it('other platforms when the spec asks', () => {
    expect(files(withBuild('  preset: static\n  platforms: [linux/amd64, linux/arm/v7, linux/riscv64]'))['docker-bake.hcl']).toContain('platforms = ["linux/amd64", "linux/arm/v7", "linux/riscv64"]');
  });
});

describe('GitHub Actions workflow (ollama-openai-proxy)', () => {
  const path = '.github/workflows/image-ollama-openai-proxy.yaml';
  const wf = () => parseYaml(files(fixture('ollama-openai-proxy'))[path]);

  it('sets up QEMU and Buildx, logs in to GHCR with the job token, bakes and pushes the final target', () => {
    const steps = wf().jobs.image.steps;
    expect(steps.map((s: any) => s.uses)).toEqual(['actions/checkout@v4', 'docker/setup-qemu-action@v3', 'docker/setup-buildx-action@v3', 'docker/login-action@v3', 'docker/bake-action@v6']);
    expect(steps[3].with).toEqual({ registry: 'ghcr.io', username: '${{ github.actor }}', password: '${{ secrets.GITHUB_TOKEN }}' });
    expect(steps[4].with).toMatchObject({ files: 'dist/ollama-openai-proxy/image/docker-bake.hcl', targets: 'prod', push: "${{ github.event_name != 'pull_request' }}" });
    expect(wf().permissions).toEqual({ contents: 'read', packages: 'write' });
  });

  it('tags latest, sha and the version: TAG and REVISION feed the bake file', () => {
    expect(wf().jobs.image.steps[4].env).toEqual({ REGISTRY: 'ghcr.io', TAG: '1.0.0', REVISION: '${{ github.sha }}' });
  });

  it('runs the tests in the ci stage before publishing', () => {
    const w = wf();
    expect(w.jobs.image.needs).toBe('test');
    expect(w.jobs.test.steps.at(-1).run).toBe('docker run --rm ghcr.io/example/ollama-openai-proxy:1.0.0-ci');
  });

  it.skipIf(!ACTIONLINT)('passes actionlint', () => {
    const dir = tempDir('actionlint');
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(dir, path), files(fixture('ollama-openai-proxy'))[path]);
    const r = spawnSync(ACTIONLINT!, ['-no-color', path], { cwd: dir, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('is only written when asked', () => {
    expect(Object.keys(files(fixture('gophership'))).some((f) => f.startsWith('.github/'))).toBe(false);
  });
});
