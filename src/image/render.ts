/** renderImage: the image definition of one service, as relative path -> file content. */
import type { ServiceModel } from '../model/types';
import { resolveImageBuild, type ImageBuild, type RenderImageOptions } from './model';
import { buildProblems } from './problems';
import { goDockerfile } from './presets/go';
import { pythonDockerfile } from './presets/python';
import { nodeDockerfile } from './presets/node';
import { staticDockerfile } from './presets/static';
import { bakeFile } from './bake';
import { dockerignore } from './dockerignore';
import { composeFile } from './compose';
import { ciWorkflow, ciWorkflowPath } from './ci-workflow';

const PRESETS: Record<ImageBuild['preset'], (b: ImageBuild) => string> = {
  go: goDockerfile,
  python: pythonDockerfile,
  node: nodeDockerfile,
  static: staticDockerfile,
};

/**
 * The image definition of a service: `Dockerfile`, `docker-bake.hcl`, `.dockerignore` (and
 * `Dockerfile.dockerignore`, which BuildKit reads when the Dockerfile is not at the context root),
 * `compose.yaml` when `build.compose`, and `.github/workflows/image-<fullname>.yaml` when
 * `build.ciWorkflow`. Paths are relative to `options.outputDir`. Pure and deterministic; `{}` for a
 * service without `build`. Throws when `buildProblems(model)` finds any (the spec loader reports
 * them with file and line first).
 */
export function renderImage(model: ServiceModel, options: RenderImageOptions = {}): Record<string, string> {
  if (!model.build) return {};
  const problems = buildProblems(model);
  if (problems.length) {
    throw new Error(`${model.name}: invalid build:\n${problems.map((p) => `  ${p.path.join('.')}: ${p.message}`).join('\n')}`);
  }
  const b = resolveImageBuild(model, options);
  const ignore = dockerignore(b);
  const files: Record<string, string> = {
    Dockerfile: PRESETS[b.preset](b),
    'docker-bake.hcl': bakeFile(b),
    '.dockerignore': ignore,
  };
  if (b.outputDir !== b.context) files['Dockerfile.dockerignore'] = ignore;
  if (b.spec.compose) files['compose.yaml'] = composeFile(b, model);
  if (b.spec.ciWorkflow === 'github-actions') files[ciWorkflowPath(b)] = ciWorkflow(b);
  return Object.fromEntries(Object.entries(files).sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0)));
}
