/**
 * The `node` preset: `npm ci` and the build in a builder stage, dev dependencies pruned, and a
 * final stage with node_modules, package.json and the built files, running node under tini
 * (node as PID 1 ignores SIGTERM unless the app handles it).
 */
import type { ImageBuild, NodeOptions } from '../model';
import { IMAGE_DEFAULTS } from '../model';
import { Stage, dockerfile } from '../dockerfile';
import { pinned } from '../base-images';
import { header, addLabels, addExpose, userLine } from '../final-stage';
import { createWithShell } from '../writable-paths';
import { execForm, shq, dockerArg, dockerWord } from '../quote';

/** npm's cache as a BuildKit cache mount. */
const NPM_CACHE = '--mount=type=cache,target=/root/.npm';
const MANIFESTS = 'package.json package-lock.json ./';

/** The Dockerfile of a node build. */
export function nodeDockerfile(b: ImageBuild): string {
  const node = b.node as NodeOptions;
  const s = b.stages;
  const stages: Stage[] = [baseStage(b, node), builderStage(b, node)];
  if (s.dev) stages.push(toolStage(b, s.dev, `${s.dev}: all dependencies and the source, for local development.`, b.devCommand));
  if (s.ci) stages.push(toolStage(b, s.ci, `${s.ci}: all dependencies and the source; runs the tests.`, b.testCommand));
  stages.push(finalStage(b, node));
  return dockerfile(header(b, [
    `Preset node: ${node.image}; npm ci and the build in the ${s.builder} stage, production dependencies only`,
    `in the final stage${node.tini ? ', node under tini (PID 1 forwards SIGTERM)' : ''}.`,
  ]), stages);
}

function baseStage(b: ImageBuild, node: NodeOptions): Stage {
  const stage = new Stage(pinned(b, node.image), b.stages.base as string, [`${b.stages.base}: Node.js${node.tini ? ' and tini' : ''}.`])
    .add('WORKDIR', '/app');
  if (!node.tini) return stage;
  return stage.run([
    'apt-get update &&',
    `apt-get install -y --no-install-recommends tini=${IMAGE_DEFAULTS.tini} &&`,
    'rm -rf /var/lib/apt/lists/*',
  ]);
}

function builderStage(b: ImageBuild, node: NodeOptions): Stage {
  return new Stage(b.stages.base as string, b.stages.builder as string, [
    `${b.stages.builder}: installs every dependency, builds, then drops the dev dependencies.`,
  ])
    .add('COPY', MANIFESTS)
    .run(['npm ci'], [NPM_CACHE])
    .add('COPY', '. .')
    // An app without dependencies gets no node_modules from npm ci: create it, so that the final
    // stage's COPY --from of it does not fail.
    .run([`${node.buildScript ? `npm run ${shq(node.buildScript)} && ` : ''}npm prune --omit=dev && mkdir -p node_modules`]);
}

function toolStage(b: ImageBuild, name: string, comment: string, cmd: readonly string[]): Stage {
  return new Stage(b.stages.base as string, name, [comment])
    .add('COPY', MANIFESTS)
    .run(['npm ci'], [NPM_CACHE])
    .add('COPY', '. .')
    .add('ENV', 'npm_config_cache=/tmp/.npm')
    .raw([userLine(b)])
    .add('CMD', execForm(cmd));
}

function finalStage(b: ImageBuild, node: NodeOptions): Stage {
  const from = `--from=${dockerArg(b.stages.builder as string)}`;
  const stage = new Stage(b.stages.base as string, b.stages.final, [
    `${b.stages.final}: production dependencies and the built files only.`,
  ]);
  addLabels(stage, b)
    .add('ENV', 'NODE_ENV=production')
    .add('COPY', `${from} /app/node_modules ./node_modules`)
    .add('COPY', `${from} /app/package.json ./package.json`);
  for (const path of node.copy) stage.add('COPY', `${from} /app/${dockerArg(path)} ./${dockerArg(path)}`);
  stage.raw(createWithShell(b)).raw([userLine(b)]);
  if (b.workingDir) stage.add('WORKDIR', dockerWord(b.workingDir));
  const run = ['node', node.main];
  return addExpose(stage, b).add('ENTRYPOINT', execForm(node.tini ? ['/usr/bin/tini', '--', ...run] : run));
}
