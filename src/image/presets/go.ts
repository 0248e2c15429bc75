/**
 * The `go` preset: modules downloaded in a base stage on the build platform, a static
 * (CGO_ENABLED=0), stripped (`-s -w`), reproducible (`-trimpath`) binary cross-compiled for each
 * TARGETOS/TARGETARCH, and a distroless static final stage without shell or package manager.
 */
import type { ImageBuild, GoOptions } from '../model';
import { goPackageArg } from '../model';
import { Stage, dockerfile } from '../dockerfile';
import { pinned } from '../base-images';
import { header, addLabels, addExpose, userLine } from '../final-stage';
import { createWithWorkdir } from '../writable-paths';
import { execForm, shq, dockerArg } from '../quote';

/** Go's build cache (the builder runs as root); a BuildKit cache mount keeps it between builds. */
const GO_BUILD_CACHE = '--mount=type=cache,target=/root/.cache/go-build';

/** The Dockerfile of a go build. */
export function goDockerfile(b: ImageBuild): string {
  const go = b.go as GoOptions;
  const s = b.stages;
  const stages: Stage[] = [];
  stages.push(new Stage(pinned(b, go.image), s.base as string, [
    `${s.base}: the Go toolchain on the build platform and the module dependencies, downloaded and verified`,
    'in their own layer (rebuilt only when go.mod/go.sum change).',
  ], '$BUILDPLATFORM')
    .add('WORKDIR', '/src')
    .add('COPY', 'go.mod go.sum* ./')
    .run(['go mod download && go mod verify']));
  if (s.dev) stages.push(toolStage(b, s.dev, `${s.dev}: the source with the toolchain, for local development.`, b.devCommand));
  if (s.ci) stages.push(toolStage(b, s.ci, `${s.ci}: the source with the toolchain; runs the tests.`, b.testCommand));
  stages.push(new Stage(s.base as string, s.builder as string, [
    `${s.builder}: cross-compiles on the build platform for the target platform (no emulation).`,
  ])
    .args('TARGETOS', 'TARGETARCH', ...(needsVariant(b) ? ['TARGETVARIANT'] : []))
    .add('COPY', '. .')
    .run(buildCommand(b, go), [GO_BUILD_CACHE]));
  stages.push(finalStage(b, go));
  return dockerfile(header(b, [
    'Preset go: a static (CGO_ENABLED=0), stripped binary cross-compiled for each platform, on a',
    `distroless base without shell (${go.runtimeImage}).`,
  ]), stages);
}

function toolStage(b: ImageBuild, name: string, comment: string, cmd: readonly string[]): Stage {
  return new Stage(b.stages.base as string, name, [comment])
    .add('COPY', '. .')
    .add('ENV', 'GOCACHE=/tmp/go-build')
    .raw([userLine(b)])
    .add('CMD', execForm(cmd));
}

function buildCommand(b: ImageBuild, go: GoOptions): string[] {
  const env = ['CGO_ENABLED=0', 'GOOS=$TARGETOS', 'GOARCH=$TARGETARCH'];
  if (needsVariant(b)) env.push('GOARM=${TARGETVARIANT#v}');
  const ldflags = ['-s', '-w', ...(go.ldflags ? [go.ldflags] : [])].join(' ');
  const flags = [
    '-trimpath',
    /^[A-Za-z0-9_@%+=:,./ -]+$/.test(ldflags) ? `-ldflags="${ldflags}"` : `-ldflags=${shq(ldflags)}`,
    ...(go.tags.length ? [`-tags=${shq(go.tags.join(','))}`] : []),
  ];
  return [env.join(' '), `go build ${flags.join(' ')} -o /out/${shq(go.binary)} ${shq(goPackageArg(go.package))}`];
}

/** arm/v6 and arm/v7 need GOARM from the platform's variant. */
function needsVariant(b: ImageBuild): boolean {
  return b.platforms.some((p) => p.startsWith('linux/arm/'));
}

function finalStage(b: ImageBuild, go: GoOptions): Stage {
  const bin = `/usr/local/bin/${go.binary}`;
  const paths = createWithWorkdir(b, b.workingDir ?? '/');
  const stage = new Stage(pinned(b, go.runtimeImage), b.stages.final, [
    `${b.stages.final}: only the binary on a static distroless base: no shell, no package manager.`,
  ]);
  addLabels(stage, b)
    .add('COPY', `--from=${dockerArg(b.stages.builder as string)} /out/${dockerArg(go.binary)} ${dockerArg(bin)}`)
    .raw(paths.beforeUser)
    .raw([userLine(b)])
    .raw(paths.afterUser);
  return addExpose(stage, b).add('ENTRYPOINT', execForm([bin]));
}
