/**
 * The `python` preset: a slim base with the (passwd-known) numeric user, a virtualenv built in a
 * builder stage (build packages only there), and a final stage that takes only the virtualenv
 * (and, in `requirements` mode, the source): no compilers, no pip cache.
 */
import type { ImageBuild, PythonOptions } from '../model';
import { Stage, dockerfile } from '../dockerfile';
import { pinned } from '../base-images';
import { header, addLabels, addExpose, userLine } from '../final-stage';
import { createWithShell } from '../writable-paths';
import { execForm, shq, dockerArg, dockerWord } from '../quote';

/** pip's cache as a BuildKit cache mount: faster rebuilds, nothing left in the layers. */
const PIP_CACHE = '--mount=type=cache,target=/root/.cache/pip';
const VENV = '/opt/venv';

/** The Dockerfile of a python build. */
export function pythonDockerfile(b: ImageBuild): string {
  const py = b.python as PythonOptions;
  const s = b.stages;
  const stages: Stage[] = [baseStage(b, py), builderStage(b, py)];
  if (s.dev) stages.push(toolStage(b, py, s.dev, `${s.dev}: dev dependencies and the source, for local development.`, b.devCommand));
  if (s.ci) stages.push(toolStage(b, py, s.ci, `${s.ci}: test dependencies and the source; runs the tests.`, b.testCommand));
  stages.push(finalStage(b, py));
  return dockerfile(header(b, [
    `Preset python: ${py.image}, a virtualenv built in the ${s.builder} stage; the final stage has no build tools.`,
  ]), stages);
}

/** useradd wants a name: the service name when it is a valid one, else "app". */
function userName(b: ImageBuild): string {
  return /^[a-z_][a-z0-9_-]{0,31}$/.test(b.name) ? b.name : 'app';
}

function baseStage(b: ImageBuild, py: PythonOptions): Stage {
  const name = userName(b);
  return new Stage(pinned(b, py.image), b.stages.base as string, [
    `${b.stages.base}: Python, the environment and a passwd entry for the numeric user (some libraries look it up).`,
  ])
    .add('ENV', 'PYTHONDONTWRITEBYTECODE=1', 'PYTHONUNBUFFERED=1', 'PIP_DISABLE_PIP_VERSION_CHECK=1',
      `VIRTUAL_ENV=${VENV}`, `PATH="${VENV}/bin:$PATH"`)
    .add('WORKDIR', '/app')
    .run([
      `{ getent group ${b.gid} >/dev/null || groupadd --system --gid ${b.gid} ${shq(name)}; } &&`,
      `{ getent passwd ${b.uid} >/dev/null || useradd --system --uid ${b.uid} --gid ${b.gid} --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ${shq(name)}; }`,
    ]);
}

function builderStage(b: ImageBuild, py: PythonOptions): Stage {
  const stage = new Stage(b.stages.base as string, b.stages.builder as string, [
    `${b.stages.builder}: builds the virtualenv${py.buildPackages.length ? ' (build packages stay in this stage)' : ''}.`,
  ]);
  if (py.buildPackages.length) {
    stage.run([
      'apt-get update &&',
      `apt-get install -y --no-install-recommends ${py.buildPackages.map(shq).join(' ')} &&`,
      'rm -rf /var/lib/apt/lists/*',
    ]);
  }
  stage.run(['python -m venv "$VIRTUAL_ENV"']);
  if (py.install === 'requirements') {
    return stage.add('COPY', `${dockerArg(py.requirements)} ./`).run([`pip install -r ${shq(py.requirements)}`], [PIP_CACHE]);
  }
  return stage.add('COPY', '. .').run(['pip install .'], [PIP_CACHE]);
}

function toolStage(b: ImageBuild, py: PythonOptions, name: string, comment: string, cmd: readonly string[]): Stage {
  return new Stage(b.stages.builder as string, name, [comment])
    .add('COPY', `${dockerArg(py.devRequirements)} ./`)
    .run([`pip install -r ${shq(py.devRequirements)}`], [PIP_CACHE])
    .add('COPY', '. .')
    .raw([userLine(b)])
    .add('CMD', execForm(cmd));
}

function finalStage(b: ImageBuild, py: PythonOptions): Stage {
  const stage = new Stage(b.stages.base as string, b.stages.final, [
    `${b.stages.final}: the virtualenv${py.install === 'requirements' ? ' and the source' : ''} on the slim base; no compilers, no caches.`,
  ]);
  addLabels(stage, b).add('COPY', `--from=${dockerArg(b.stages.builder as string)} ${VENV} ${VENV}`);
  if (py.install === 'requirements') stage.add('COPY', '. .');
  stage.raw(createWithShell(b)).raw([userLine(b)]);
  if (b.workingDir) stage.add('WORKDIR', dockerWord(b.workingDir));
  return addExpose(stage, b).add('ENTRYPOINT', execForm(['python', '-m', py.module]));
}
