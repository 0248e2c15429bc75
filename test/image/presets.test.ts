/**
 * What each story asks of its image, checked on the Dockerfile as parsed by dockerfile-ast:
 * numeric USER = the pod's runAsUser, presets, stages, static/stripped/cross-compiled Go builds,
 * slim Python without build tools, node under tini, writable paths, labels and digest pins.
 */
import { describe, expect, it } from 'vitest';
import type { From, Run } from 'dockerfile-ast';
import { renderManifestObjects } from '../../src/app/manifests';
import { argText, execArgs, files, fixture, fixtureNames, instructions, parse, stage, withBuild } from './helpers';

const dockerfileOf = (name: string) => parse(files(fixture(name)).Dockerfile);
const stageNames = (name: string) => dockerfileOf(name).getFROMs().map((f) => f.getBuildStage());
const runText = (name: string) => instructions(dockerfileOf(name), 'RUN').map(argText).join('\n');

describe('every Dockerfile', () => {
  it.each(fixtureNames())('%s: every USER is numeric and equals the pod runAsUser:runAsGroup', (name) => {
    const model = fixture(name);
    const users = instructions(dockerfileOf(name), 'USER').map(argText);
    expect(users.length).toBeGreaterThan(0);
    for (const u of users) expect(u).toBe(`${model.container.runAsUser}:${model.container.runAsGroup}`);
    // ... and the pod the manifests renderer writes runs as that same uid.
    const workload: any = renderManifestObjects(model).find((o: any) => o.kind === 'Deployment' || o.kind === 'DaemonSet');
    expect(workload.spec.template.spec.securityContext.runAsUser).toBe(Number(users[0].split(':')[0]));
  });

  it.each(fixtureNames())('%s: the final stage ends as that user, with no HEALTHCHECK, exec-form ENTRYPOINT and OCI labels', (name) => {
    const model = fixture(name);
    const df = dockerfileOf(name);
    const final = stage(df, model.build!.targets?.final ?? 'production');
    expect(final.filter((i) => i.getKeyword() === 'USER').map(argText)).toEqual([`${model.container.runAsUser}:${model.container.runAsGroup}`]);
    expect(instructions(df, 'HEALTHCHECK')).toEqual([]);
    expect(execArgs(final.find((i) => i.getKeyword() === 'ENTRYPOINT')!).length).toBeGreaterThan(0);
    const labels = Object.fromEntries(instructions(df, 'LABEL').flatMap((l: any) => l.getProperties().map((p: any) => [p.getName(), p.getValue()])));
    expect(labels).toMatchObject({
      'org.opencontainers.image.title': model.name,
      'org.opencontainers.image.description': model.description,
      'org.opencontainers.image.version': model.version,
    });
    expect(df.getDirectives().map((d) => `${d.getName()}=${d.getValue()}`)).toEqual(['syntax=docker/dockerfile:1']);
  });

  it.each(fixtureNames())('%s: EXPOSEs exactly the declared container ports', (name) => {
    const model = fixture(name);
    expect(instructions(dockerfileOf(name), 'EXPOSE').map(argText)).toEqual([model.container.ports.map((p) => `${p.containerPort}/${p.protocol.toLowerCase()}`).join(' ')]);
  });
});

describe('GopherShip (go preset): minimal static distroless image for amd64 and arm64', () => {
  it('cross-compiles a static (CGO_ENABLED=0), stripped, trimmed binary on the build platform', () => {
    const df = dockerfileOf('gophership');
    const [base] = df.getFROMs();
    expect(base.getPlatformFlag()?.getValue()).toBe('$BUILDPLATFORM');
    expect(base.getImage()).toBe('golang:1.24-bookworm');
    const builder = stage(df, 'builder');
    expect(builder.filter((i) => i.getKeyword() === 'ARG').map(argText)).toEqual(['TARGETOS', 'TARGETARCH']);
    const build = builder.filter((i) => i.getKeyword() === 'RUN').map(argText).join(' ');
    expect(build).toContain('CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH');
    expect(build).toContain('go build -trimpath -ldflags="-s -w" -o /out/gophership ./cmd/gophership');
    expect((builder.find((i) => i.getKeyword() === 'RUN') as Run).getFlags().map((f) => `${f.getName()}=${f.getValue()}`)).toEqual(['mount=type=cache,target=/root/.cache/go-build']);
  });

  it('ships only the binary on distroless static (no shell, no package manager), nothing RUN there', () => {
    const final = stage(dockerfileOf('gophership'), 'production');
    expect((final[0] as From).getImage()).toBe('gcr.io/distroless/static-debian12:nonroot');
    expect(final.map((i) => i.getKeyword())).not.toContain('RUN');
    expect(final.filter((i) => i.getKeyword() === 'COPY').map(argText)).toEqual(['--from=builder /out/gophership /usr/local/bin/gophership']);
    expect(execArgs(final.find((i) => i.getKeyword() === 'ENTRYPOINT')!)).toEqual(['/usr/local/bin/gophership']);
  });

  it('downloads and verifies modules in their own layer of the base stage', () => {
    expect(stage(dockerfileOf('gophership'), 'base').map((i) => `${i.getKeyword()} ${argText(i)}`)).toContain('RUN go mod download && go mod verify');
  });

  it('bakes linux/amd64 and linux/arm64', () => {
    expect(files(fixture('gophership'))['docker-bake.hcl']).toContain('platforms = ["linux/amd64", "linux/arm64"]');
  });

  it('adds GOARM from the platform variant only when a 32-bit arm platform is built', () => {
    const df = parse(files(withBuild('  preset: go\n  platforms: [linux/arm/v7, linux/arm64]')).Dockerfile);
    expect(runText2(df)).toContain('GOARM=${TARGETVARIANT#v}');
    expect(runText('gophership')).not.toContain('GOARM');
  });
});

const runText2 = (df: ReturnType<typeof parse>) => instructions(df, 'RUN').map(argText).join('\n');

describe('ollama-openai-proxy (python preset): python:3.12-slim, targets base/dev/ci/prod', () => {
  it('has the stages the story names (plus the builder of the virtualenv)', () => {
    expect(stageNames('ollama-openai-proxy')).toEqual(['base', 'builder', 'dev', 'ci', 'prod']);
  });

  it('builds every stage from python:3.12-slim; prod derives from base, not from the builder', () => {
    const froms = dockerfileOf('ollama-openai-proxy').getFROMs();
    expect(froms[0].getImage()).toBe('python:3.12-slim');
    expect(Object.fromEntries(froms.map((f) => [f.getBuildStage(), f.getImage()]))).toEqual({ base: 'python:3.12-slim', builder: 'base', dev: 'builder', ci: 'builder', prod: 'base' });
  });

  it('prod takes only the virtualenv and the source: no pip install, no apt, no compilers there', () => {
    const prod = stage(dockerfileOf('ollama-openai-proxy'), 'prod');
    expect(prod.filter((i) => i.getKeyword() === 'COPY').map(argText)).toEqual(['--from=builder /opt/venv /opt/venv', '. .']);
    expect(prod.map((i) => i.getKeyword())).not.toContain('RUN');
    expect(execArgs(prod.find((i) => i.getKeyword() === 'ENTRYPOINT')!)).toEqual(['python', '-m', 'ollama_openai_proxy.main']);
  });

  it('installs requirements with a pip cache mount, dev/test requirements only in dev and ci', () => {
    const df = dockerfileOf('ollama-openai-proxy');
    const builder = stage(df, 'builder').filter((i) => i.getKeyword() === 'RUN');
    expect(builder.map(argText)).toEqual(['python -m venv "$VIRTUAL_ENV"', '--mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt']);
    expect((builder[1] as Run).getFlags().map((f) => f.getValue())).toEqual(['type=cache,target=/root/.cache/pip']);
    expect(stage(df, 'ci').filter((i) => i.getKeyword() === 'RUN').map(argText)).toEqual(['--mount=type=cache,target=/root/.cache/pip pip install -r requirements-dev.txt']);
    expect(execArgs(stage(df, 'ci').find((i) => i.getKeyword() === 'CMD')!)).toEqual(['python', '-m', 'pytest']);
    expect(execArgs(stage(df, 'dev').find((i) => i.getKeyword() === 'CMD')!)).toEqual(['uvicorn', 'ollama_openai_proxy.main:app', '--reload', '--host', '0.0.0.0']);
  });

  it('gives the numeric user a passwd entry in the base stage', () => {
    expect(stage(dockerfileOf('ollama-openai-proxy'), 'base').map(argText).join('\n')).toContain('useradd --system --uid 1000 --gid 1000');
  });

  it('writes a GHCR workflow, a compose file and the bake targets', () => {
    expect(Object.keys(files(fixture('ollama-openai-proxy')))).toEqual([
      '.dockerignore', '.github/workflows/image-ollama-openai-proxy.yaml', 'Dockerfile', 'Dockerfile.dockerignore', 'compose.yaml', 'docker-bake.hcl',
    ]);
  });
});

describe('Cloud Optimizer (python preset): python 3.11, installed from pyproject', () => {
  it('uses python:3.11-slim and ships only the virtualenv with the project installed', () => {
    const df = dockerfileOf('cloud-optimizer');
    expect(df.getFROMs()[0].getImage()).toBe('python:3.11-slim');
    expect(stage(df, 'builder').filter((i) => i.getKeyword() === 'RUN').map(argText)).toEqual(['python -m venv "$VIRTUAL_ENV"', '--mount=type=cache,target=/root/.cache/pip pip install .']);
    expect(stage(df, 'production').filter((i) => i.getKeyword() === 'COPY').map(argText)).toEqual(['--from=builder /opt/venv /opt/venv']);
  });

  it('creates the writable path owned by the pod user; /tmp stays as the base has it (1777)', () => {
    const prod = stage(dockerfileOf('cloud-optimizer'), 'production');
    expect(prod.filter((i) => i.getKeyword() === 'RUN').map(argText)).toEqual(['install -d -o 1000 -g 1000 -m 0755 /app/data/cache']);
    const keywords = prod.map((i) => i.getKeyword());
    expect(keywords.indexOf('RUN')).toBeLessThan(keywords.indexOf('USER'));
  });
});

describe('Ghillie (python preset): python 3.12, pyproject, non-root', () => {
  it('uses python:3.12-slim, runs ghillie.runtime as 10001', () => {
    const df = dockerfileOf('ghillie');
    expect(df.getFROMs()[0].getImage()).toBe('python:3.12-slim');
    expect(execArgs(instructions(df, 'ENTRYPOINT')[0])).toEqual(['python', '-m', 'ghillie.runtime']);
    expect(instructions(df, 'USER').map(argText)).toEqual(['10001:10001']);
  });
});

describe('Chorus websocket-gateway (go preset): uid 1001, stages base/development/builder/production', () => {
  it('has exactly the stages the story names', () => {
    expect(stageNames('chorus-websocket-gateway')).toEqual(['base', 'development', 'builder', 'production']);
  });

  it('runs as 1001:1001 in development and production', () => {
    const df = dockerfileOf('chorus-websocket-gateway');
    expect(stage(df, 'development').filter((i) => i.getKeyword() === 'USER').map(argText)).toEqual(['1001:1001']);
    expect(stage(df, 'production').filter((i) => i.getKeyword() === 'USER').map(argText)).toEqual(['1001:1001']);
  });

  it('builds with the netgo tag into the binary named main', () => {
    expect(runText('chorus-websocket-gateway')).toContain('-tags=netgo -o /out/main .');
  });

  it('creates the writable paths without a shell: parents before USER, the paths after it', () => {
    const prod = stage(dockerfileOf('chorus-websocket-gateway'), 'production').map((i) => `${i.getKeyword()} ${argText(i)}`);
    const user = prod.indexOf('USER 1001:1001');
    expect(prod.indexOf('WORKDIR /var/cache')).toBeLessThan(user);
    expect(prod.indexOf('WORKDIR /var/cache/websocket-gateway')).toBeGreaterThan(user);
    expect(prod.indexOf('WORKDIR /tmp')).toBeGreaterThan(user);
  });

  it('builds from its own context (services/websocket-gateway) with the generated Dockerfile', () => {
    const bake = files(fixture('chorus-websocket-gateway'))['docker-bake.hcl'];
    expect(bake).toContain('context    = "services/websocket-gateway"');
    expect(bake).toContain('dockerfile = "../../dist/websocket-gateway/image/Dockerfile"');
  });
});

describe('node preset', () => {
  it('npm ci with a cache mount, build and prune in the builder; node under tini; NODE_ENV=production', () => {
    const df = dockerfileOf('node-api');
    // `mkdir -p node_modules`: an app without dependencies gets none from npm ci, and the final
    // stage's COPY --from=builder /app/node_modules then failed (found building a minimal app
    // with buildah on a base made from Debian's packages: test/image-real/).
    expect(stage(df, 'builder').filter((i) => i.getKeyword() === 'RUN').map(argText)).toEqual(['--mount=type=cache,target=/root/.npm npm ci', 'npm run build && npm prune --omit=dev && mkdir -p node_modules']);
    const prod = stage(df, 'production');
    expect(prod.filter((i) => i.getKeyword() === 'COPY').map(argText)).toEqual([
      '--from=builder /app/node_modules ./node_modules', '--from=builder /app/package.json ./package.json', '--from=builder /app/dist ./dist',
    ]);
    expect(execArgs(prod.find((i) => i.getKeyword() === 'ENTRYPOINT')!)).toEqual(['/usr/bin/tini', '--', 'node', 'dist/server.js']);
    expect(prod.filter((i) => i.getKeyword() === 'ENV').map(argText)).toEqual(['NODE_ENV=production']);
    expect(stage(df, 'base').filter((i) => i.getKeyword() === 'RUN').map(argText).join(' ')).toMatch(/apt-get install -y --no-install-recommends tini=\S+ && rm -rf \/var\/lib\/apt\/lists\/\*/);
  });

  it('runs node directly when tini is off', () => {
    const df = parse(files(withBuild('  preset: node\n  node: { tini: false }')).Dockerfile);
    expect(execArgs(instructions(df, 'ENTRYPOINT')[0])).toEqual(['node', 'dist/index.js']);
    expect(instructions(df, 'RUN').map(argText).join(' ')).not.toContain('tini');
  });
});

describe('static preset', () => {
  it('copies the binary of the target platform onto scratch; nothing runs during the build', () => {
    const df = dockerfileOf('static-agent');
    expect(df.getFROMs().map((f) => f.getImage())).toEqual(['scratch']);
    expect(instructions(df, 'RUN')).toEqual([]);
    expect(instructions(df, 'COPY').map(argText)).toEqual(['--chmod=0555 dist/static-agent-${TARGETOS}-${TARGETARCH} /usr/local/bin/static-agent']);
    expect(instructions(df, 'ARG').map(argText)).toEqual(['TARGETOS', 'TARGETARCH']);
  });
});

describe('base image digests', () => {
  it('pins a base image given in build.digests as image@sha256:...', () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const df = parse(files(withBuild(`  preset: python\n  digests: { "python:3.12-slim": "${digest}" }`)).Dockerfile);
    expect(df.getFROMs()[0].getImage()).toBe(`python:3.12-slim@${digest}`);
    expect(df.getFROMs()[0].getImageDigest()).toBe(digest);
  });

  it('pins each of the two go base images independently', () => {
    const d = `sha256:${'d'.repeat(64)}`;
    const froms = parse(files(withBuild(`  preset: go\n  digests: { "golang:1.24-bookworm": "${d}" }`)).Dockerfile).getFROMs();
    expect(froms.map((f) => f.getImage())).toEqual([`golang:1.24-bookworm@${d}`, 'base', 'gcr.io/distroless/static-debian12:nonroot']);
  });
});

describe('labels', () => {
  // `\$` is the Dockerfile escape of a literal `$` (the parser keeps it; buildah.test.ts checks a built image's labels).
  it('adds source, licenses and extra labels; escapes quotes and $', () => {
    const df = parse(files(withBuild('  preset: static\n  source: https://github.com/acme/web\n  licenses: Apache-2.0\n  labels: { com.acme.team: "a \\"b\\" $c" }')).Dockerfile);
    const props = Object.fromEntries((instructions(df, 'LABEL')[0] as any).getProperties().map((p: any) => [p.getName(), p.getValue()]));
    expect(props).toEqual({
      'org.opencontainers.image.description': 'web service',
      'org.opencontainers.image.licenses': 'Apache-2.0',
      'org.opencontainers.image.source': 'https://github.com/acme/web',
      'org.opencontainers.image.title': 'web',
      'org.opencontainers.image.version': '1.2.3',
      'com.acme.team': 'a "b" \\$c',
    });
  });
});
