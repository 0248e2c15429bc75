/**
 * The resolved image build: every default of `BuildSpec` applied once, plus what the image needs
 * from the rest of the service (user, writable paths, ports, image name). Renderers read only this.
 */
import { posix } from 'node:path';
import type { BuildSpec } from '../spec/types';
import type { ServiceModel, PortModel } from '../model/types';
import {
  IMAGE_DEFAULTS, resolveGo, resolvePython, resolveNode, resolveStatic, defaultDevCommand, defaultTestCommand,
  type GoOptions, type PythonOptions, type NodeOptions, type StaticOptions,
} from './preset-options';

export { IMAGE_DEFAULTS, goPackageArg, type GoOptions, type PythonOptions, type NodeOptions, type StaticOptions } from './preset-options';

/** Where the generated files are written, relative to the repository root. */
export interface RenderImageOptions {
  /** Directory of the Dockerfile, bake, compose and ignore files. @default "dist/<fullname>/image" */
  readonly outputDir?: string;
}

/** Stage names; optional roles are undefined when the Dockerfile has no such stage. */
export interface StageNames {
  readonly base?: string;
  readonly dev?: string;
  readonly ci?: string;
  readonly builder?: string;
  readonly final: string;
}

/** Everything the image renderers need, defaults applied. */
export interface ImageBuild {
  readonly spec: BuildSpec;
  readonly preset: BuildSpec['preset'];
  readonly name: string;
  readonly fullname: string;
  readonly version: string;
  readonly description: string;
  /** `registry/repository` without tag (no registry when it is empty). */
  readonly imageName: string;
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
  readonly uid: number;
  readonly gid: number;
  readonly writablePaths: readonly string[];
  readonly workingDir?: string;
  readonly ports: readonly PortModel[];
  readonly stages: StageNames;
  readonly platforms: readonly string[];
  /** Build context relative to the repository root (POSIX, no trailing slash; "." for the root). */
  readonly context: string;
  /** Where the generated files live, relative to the repository root. */
  readonly outputDir: string;
  /** The Dockerfile path relative to the context (what bake and compose call `dockerfile`). */
  readonly dockerfileInContext: string;
  readonly digests: Readonly<Record<string, string>>;
  readonly devCommand: readonly string[];
  readonly testCommand: readonly string[];
  readonly go?: GoOptions;
  readonly python?: PythonOptions;
  readonly node?: NodeOptions;
  readonly static?: StaticOptions;
}

/** Resolves the build of a service that has one (`model.build`). */
export function resolveImageBuild(model: ServiceModel, options: RenderImageOptions = {}): ImageBuild {
  const b = model.build;
  if (!b) throw new Error(`service ${model.name} has no build: nothing to render`);
  const context = normalize(b.context ?? '.');
  const outputDir = normalize(options.outputDir ?? `dist/${model.fullname}/image`);
  const img = model.image;
  const go = b.preset === 'go' ? resolveGo(b, model.name) : undefined;
  const python = b.preset === 'python' ? resolvePython(b, model.name) : undefined;
  const node = b.preset === 'node' ? resolveNode(b) : undefined;
  return {
    spec: b,
    preset: b.preset,
    name: model.name,
    fullname: model.fullname,
    version: model.version,
    description: model.description,
    imageName: img.registry ? `${img.registry}/${img.repository}` : img.repository,
    registry: img.registry,
    repository: img.repository,
    tag: img.tag,
    uid: model.container.runAsUser,
    gid: model.container.runAsGroup,
    writablePaths: [...new Set(model.container.writablePaths)].sort(),
    workingDir: model.container.workingDir,
    ports: model.container.ports,
    stages: stageNames(b),
    platforms: [...(b.platforms ?? IMAGE_DEFAULTS.platforms)],
    context,
    outputDir,
    dockerfileInContext: posix.relative(context === '.' ? '' : context, `${outputDir}/Dockerfile`),
    digests: b.digests ?? {},
    devCommand: b.devCommand ?? defaultDevCommand(b, go, python),
    testCommand: b.testCommand ?? defaultTestCommand(b),
    go,
    python,
    node,
    static: b.preset === 'static' ? resolveStatic(b, model.name) : undefined,
  };
}

function stageNames(b: BuildSpec): StageNames {
  const t = b.targets ?? {};
  if (b.preset === 'static') return { final: t.final ?? 'production' };
  return { base: t.base ?? 'base', dev: t.dev, ci: t.ci, builder: t.builder ?? 'builder', final: t.final ?? 'production' };
}

/** A relative POSIX path without `./` prefix or trailing slash; "." for the root. */
function normalize(p: string): string {
  const n = posix.normalize(p.replace(/\\/g, '/')).replace(/\/+$/, '');
  return n === '' ? '.' : n;
}
