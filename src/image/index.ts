/** The image renderer: Dockerfile per runtime preset, docker-bake.hcl, .dockerignore, compose, CI. */
export { renderImage } from './render';
export { buildProblems } from './problems';
export { resolveImageBuild, IMAGE_DEFAULTS, type ImageBuild, type RenderImageOptions, type StageNames } from './model';
export { imageLabels } from './labels';
export { composeHealth, type ComposeHealth } from './healthcheck';
