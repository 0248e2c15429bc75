/**
 * Semantic checks of `build` that the JSON Schema cannot express (which preset an option block
 * belongs to, stage names, digest keys, paths). Paths start at `build` so the spec loader can
 * locate each problem in the file.
 */
import type { ServiceModel } from '../model/types';
import type { Problem } from '../model/problems';
import type { BuildSpec } from '../spec/types';
import { resolveImageBuild, type ImageBuild } from './model';
import { baseImagesOf } from './base-images';
import { OCI_PREFIX } from './labels';

const PRESET_BLOCKS = ['go', 'python', 'node', 'static'] as const;

/** Every problem of the service's `build` (empty when it has none or it is fine). */
export function buildProblems(model: ServiceModel): Problem[] {
  const b = model.build;
  if (!b) return [];
  const out: Problem[] = [];
  const add = (path: (string | number)[], message: string) => out.push({ path: ['build', ...path], message });

  for (const block of PRESET_BLOCKS) {
    if (b[block] !== undefined && block !== b.preset) add([block], `only applies to preset "${block}" (this build uses preset "${b.preset}"): remove it or change the preset`);
  }
  checkTargets(b, add);
  checkPaths(b, add);
  if (b.devCommand && !b.targets?.dev) add(['devCommand'], 'is set but there is no dev stage: name one with targets.dev');
  if (b.testCommand && !b.targets?.ci) add(['testCommand'], 'is set but there is no ci stage: name one with targets.ci');
  if (b.composeHealthcheck && !b.compose) add(['composeHealthcheck'], 'is set but no compose file is written: set compose: true');
  if (b.ciWorkflow === 'github-actions' && model.image.registry !== 'ghcr.io') {
    add(['ciWorkflow'], `publishes to GitHub Container Registry, but image.registry is "${model.image.registry}": set image.registry to ghcr.io`);
  }
  (b.platforms ?? []).forEach((p, i, all) => {
    if (all.indexOf(p) !== i) add(['platforms', i], `"${p}" is listed twice`);
  });
  for (const key of Object.keys(b.labels ?? {})) {
    if (key.startsWith(OCI_PREFIX)) add(['labels', key], `is set by Slipway from the spec (name, description, version, build.source, build.licenses): remove it`);
  }
  if (!out.length) checkDigests(resolveImageBuild(model), add);
  return out;
}

type Add = (path: (string | number)[], message: string) => void;

function checkTargets(b: BuildSpec, add: Add): void {
  const t = b.targets ?? {};
  if (b.preset === 'static') {
    for (const role of ['base', 'dev', 'ci', 'builder'] as const) {
      if (t[role] !== undefined) add(['targets', role], 'does not exist in the static preset (it has only the final stage): remove it');
    }
  }
  const seen = new Map<string, string>();
  for (const role of ['base', 'dev', 'ci', 'builder', 'final'] as const) {
    const name = t[role];
    if (name === undefined) continue;
    const other = seen.get(name);
    if (other) add(['targets', role], `"${name}" is also the name of the ${other} stage: stage names must be unique`);
    else seen.set(name, role);
  }
  for (const reserved of ['scratch']) {
    for (const [role, name] of Object.entries(t)) if (name === reserved) add(['targets', role], `"${reserved}" is reserved by Dockerfiles: pick another name`);
  }
}

function checkPaths(b: BuildSpec, add: Add): void {
  const ctx = b.context ?? '.';
  if (ctx.startsWith('/') || ctx.split(/[\\/]/).includes('..')) add(['context'], `(${JSON.stringify(ctx)}) must be a path inside the repository, relative to its root`);
  if (b.go?.package && (b.go.package.startsWith('/') || b.go.package.split('/').includes('..'))) add(['go', 'package'], 'must be a package inside the context, e.g. ./cmd/server');
  if (b.static?.path && !/^\/[A-Za-z0-9_.@+=,:~/-]*$/.test(b.static.path)) add(['static', 'path'], 'must be an absolute path in the image of letters, digits and . _ - / @ + = , : ~ (no spaces, quotes or "$"), e.g. /usr/local/bin/app');
  if (b.static?.binary && !/^[A-Za-z0-9_.@+=,:~]([A-Za-z0-9_.@+=,:~/-]|\$\{TARGET(OS|ARCH|VARIANT)\})*$/.test(b.static.binary)) add(['static', 'binary'], 'must be a path in the context of letters, digits and . _ - / @ + = , : ~ and ${TARGETOS}, ${TARGETARCH}, ${TARGETVARIANT} (no spaces, quotes or other "$"), e.g. dist/app-${TARGETOS}-${TARGETARCH}');
  for (const [i, p] of (b.python?.buildPackages ?? []).entries()) {
    if (!/^[a-z0-9][a-z0-9+.-]*=[A-Za-z0-9.+~:-]+$/.test(p)) add(['python', 'buildPackages', i], `(${JSON.stringify(p)}) must be a Debian package pinned as name=version (hadolint DL3008), e.g. gcc=4:12.2.0-3`);
  }
}

function checkDigests(build: ImageBuild, add: Add): void {
  const bases = baseImagesOf(build);
  for (const ref of Object.keys(build.digests)) {
    if (ref === 'scratch') add(['digests', ref], 'scratch is not an image and cannot be pinned');
    else if (!bases.includes(ref)) add(['digests', ref], `is not a base image of this build (they are: ${bases.filter((r) => r !== 'scratch').join(', ') || 'none'})`);
  }
}
