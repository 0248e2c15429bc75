/**
 * Bad build input: the JSON Schema (generated from BuildSpec) and buildProblems() name the field
 * and say what to change; renderImage refuses to write a definition with problems.
 */
import { describe, expect, it } from 'vitest';
import { buildProblems, renderImage } from '../../src/image';
import { loadSpecText } from '../../src/spec/load';
import { SpecError } from '../../src/spec/errors';
import { withBuild } from './helpers';

/** The build findings the loader reports for a spec (as `field.path: message`, without file:line). */
function problems(build: string, extra = ''): string[] {
  try {
    withBuild(build, extra);
    return [];
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return e.findings.map((f) => `${f.path}: ${f.message}`);
  }
}

function loadError(build: string): string {
  try {
    loadSpecText(`name: web\nversion: "1"\nimage: { repository: acme/web }\nbuild:\n${build}\n`, 'spec.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('schema errors in build', () => {
  it('an unknown preset option, with a suggestion', () => {
    expect(loadError('  preset: go\n  go: { pakage: ./cmd/x }')).toMatch(/build\.go\.pakage.*did you mean "package"/);
  });

  it('an unknown preset', () => {
    expect(loadError('  preset: rust')).toMatch(/build\.preset.*must be one of "go", "python", "node", "static"/);
  });

  it('a digest that is not sha256', () => {
    expect(loadError('  preset: python\n  digests: { "python:3.12-slim": "latest" }')).toMatch(/spec\.yaml:6:\d+: build\.digests\["python:3\.12-slim"\]: must be a sha256 digest: "sha256:" and 64 lower-case hex digits \(got "latest"\)/);
  });

  it('an unknown platform and a bad stage name', () => {
    expect(loadError('  preset: go\n  platforms: [windows/amd64]')).toMatch(/spec\.yaml:6:\d+: build\.platforms\[0\]: must be one of linux\/amd64, .*linux\/riscv64 \(got "windows\/amd64"\)/);
    expect(loadError('  preset: go\n  targets: { final: Prod }')).toMatch(/build\.targets\.final: must be a stage name: a lower-case letter, then lower-case letters, digits, "_" and "-" \(got "Prod"\)/);
  });

  it('the old loose `options` record is gone', () => {
    expect(loadError('  preset: go\n  options: { goVersion: "1.22" }')).toMatch(/build\.options.*unknown field/);
  });
});

describe('buildProblems', () => {
  it('accepts a plain build', () => {
    expect(problems('  preset: go')).toEqual([]);
  });

  it('an option block of another preset', () => {
    expect(problems('  preset: python\n  go: { version: "1.22" }')).toEqual(['build.go: only applies to preset "go" (this build uses preset "python"): remove it or change the preset']);
  });

  it('stages the static preset does not have, and duplicate stage names', () => {
    expect(problems('  preset: static\n  targets: { dev: dev }')).toEqual(['build.targets.dev: does not exist in the static preset (it has only the final stage): remove it']);
    expect(problems('  preset: go\n  targets: { dev: work, ci: work }')).toEqual(['build.targets.ci: "work" is also the name of the dev stage: stage names must be unique']);
    expect(problems('  preset: go\n  targets: { final: scratch }')).toEqual(['build.targets.final: "scratch" is reserved by Dockerfiles: pick another name']);
  });

  it('commands of stages that are not there', () => {
    expect(problems('  preset: go\n  devCommand: [air]\n  testCommand: [go, test]')).toEqual([
      'build.devCommand: is set but there is no dev stage: name one with targets.dev',
      'build.testCommand: is set but there is no ci stage: name one with targets.ci',
    ]);
  });

  it('a digest for an image the build does not use', () => {
    expect(problems(`  preset: python\n  digests: { "python:3.11-slim": "sha256:${'a'.repeat(64)}" }`)).toEqual([
      'build.digests["python:3.11-slim"]: is not a base image of this build (they are: python:3.12-slim)',
    ]);
  });

  it('the GHCR workflow for an image that is not on GHCR', () => {
    expect(problems('  preset: go\n  ciWorkflow: github-actions')).toEqual([]);
    expect(() => loadSpecText('name: web\nversion: "1"\nimage: { registry: quay.io, repository: acme/web }\nbuild: { preset: go, ciWorkflow: github-actions }\n', 's.yaml'))
      .toThrow('s.yaml:4:34: build.ciWorkflow: publishes to GitHub Container Registry, but image.registry is "quay.io": set image.registry to ghcr.io');
  });

  it('paths outside the repository or the image', () => {
    expect(problems('  preset: static\n  context: ../other\n  static: { path: bin/app, binary: "dist/my app" }')).toEqual([
      'build.context: ("../other") must be a path inside the repository, relative to its root',
      'build.static.path: must be an absolute path in the image of letters, digits and . _ - / @ + = , : ~ (no spaces, quotes or "$"), e.g. /usr/local/bin/app',
      'build.static.binary: must be a path in the context of letters, digits and . _ - / @ + = , : ~ and ${TARGETOS}, ${TARGETARCH}, ${TARGETVARIANT} (no spaces, quotes or other "$"), e.g. dist/app-${TARGETOS}-${TARGETARCH}',
    ]);
  });

  it('unpinned build packages (hadolint DL3008) and labels that Slipway owns', () => {
    expect(problems('  preset: python\n  python: { buildPackages: [gcc] }\n  labels: { org.opencontainers.image.title: x }')).toEqual([
      'build.python.buildPackages[0]: ("gcc") must be a Debian package pinned as name=version (hadolint DL3008), e.g. gcc=4:12.2.0-3',
      'build.labels["org.opencontainers.image.title"]: is set by Slipway from the spec (name, description, version, build.source, build.licenses): remove it',
    ]);
  });

  it('composeHealthcheck without compose; duplicate platforms', () => {
    expect(problems('  preset: go\n  composeHealthcheck: liveness\n  platforms: [linux/amd64, linux/amd64]')).toEqual([
      'build.composeHealthcheck: is set but no compose file is written: set compose: true',
      'build.platforms[1]: "linux/amd64" is listed twice',
    ]);
  });

  it('renderImage refuses a build with problems, naming them', () => {
    // The loader reports these first; renderImage still guards models built by other means.
    const model = withBuild('  preset: python');
    expect(buildProblems({ ...model, build: { ...model.build!, go: {} } })).toHaveLength(1);
    expect(() => renderImage({ ...model, build: { ...model.build!, go: {} } })).toThrow(/web: invalid build:\n  build\.go: only applies to preset "go"/);
  });

  it('renderImage writes nothing for a service without build', () => {
    expect(renderImage(loadSpecText('name: web\nversion: "1"\nimage: { repository: acme/web }\n', 's.yaml')[0].model)).toEqual({});
  });
});
