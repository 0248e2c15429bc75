/**
 * hadolint (the real one, from the tools cache) finds nothing - no error, warning, info or style
 * finding - in every Dockerfile Slipway generates (each story-like fixture and each preset option
 * that changes the Dockerfile), in those of the specs in examples/, and in Slipway's own
 * top-level Dockerfile.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleServices } from '../support/examples';
import { toolPath } from '../support/tools';
import { ROOT, files, fixture, fixtureNames, hadolint, versionOf, withBuild } from './helpers';

const VARIANTS: Record<string, string> = {
  'go, every option': `  preset: go
  go: { version: "1.23", package: cmd/server, binary: srv, tags: [netgo, osusergo], ldflags: "-X main.version=1.2.3", image: "golang:1.23-alpine" }
  targets: { dev: dev, ci: ci }
  platforms: [linux/amd64, linux/arm64, linux/arm/v7]
  digests: { "gcr.io/distroless/static-debian12:nonroot": "sha256:${'a'.repeat(64)}" }`,
  'python, build packages and every stage': `  preset: python
  python: { buildPackages: ["gcc=4:12.2.0-3", "libpq-dev=15.8-0+deb12u1"], requirements: requirements/prod.txt, devRequirements: requirements/dev.txt }
  targets: { dev: dev, ci: ci }
  digests: { "python:3.12-slim": "sha256:${'b'.repeat(64)}" }`,
  'python, project install with workingDir': `  preset: python
  python: { install: project, module: web.server }`,
  'node without tini or build script': `  preset: node
  node: { tini: false, buildScript: "", copy: [src, public], main: src/index.js }`,
  'static on a custom base': `  preset: static
  static: { image: "gcr.io/distroless/static-debian12:nonroot", binary: "out/web_\${TARGETOS}_\${TARGETARCH}\${TARGETVARIANT}", path: /app/web }
  platforms: [linux/amd64, linux/arm/v7]`,
};

describe(`hadolint (${versionOf(toolPath('hadolint'))})`, () => {
  it.each(fixtureNames())('finds nothing in the Dockerfile of fixture %s', (name) => {
    expect(hadolint(files(fixture(name)).Dockerfile)).toEqual([]);
  });

  const examples = exampleServices().filter((s) => s.model.build).map((s) => [s.model.name, s.model] as const);
  it.each(examples)('finds nothing in the Dockerfile of example %s (examples/)', (_, model) => {
    expect(hadolint(files(model).Dockerfile)).toEqual([]);
  });

  it.each(Object.keys(VARIANTS))('finds nothing in the Dockerfile of a %s', (variant) => {
    const extra = variant.includes('workingDir') ? 'workingDir: /srv\nsecurity: { writablePaths: [/tmp, /srv/cache, /var/lib/web] }\n' : 'security: { writablePaths: [/tmp, /var/cache/web] }\n';
    expect(hadolint(files(withBuild(VARIANTS[variant], extra)).Dockerfile)).toEqual([]);
  });

  it("finds nothing in Slipway's own Dockerfile", () => {
    expect(hadolint(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))).toEqual([]);
  });

  it('is the real checker: it flags a Dockerfile that breaks its rules', () => {
    const codes = hadolint('FROM python\nRUN pip install flask\nUSER root\n').map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['DL3006', 'DL3013', 'DL3002']));
  });
});
