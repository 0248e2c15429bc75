/** Options of each runtime preset (`build.go`, `build.python`, ...) with their defaults applied. */
import type { BuildSpec } from '../spec/types';

/** Default Go, Python and Node versions (documented on GoBuildSpec/PythonBuildSpec/NodeBuildSpec). */
export const IMAGE_DEFAULTS = {
  go: '1.24',
  python: '3.12',
  node: '20',
  distroless: 'gcr.io/distroless/static-debian12:nonroot',
  platforms: ['linux/amd64', 'linux/arm64'],
  /** Debian bookworm's tini, the version apt installs in `node:<v>-bookworm-slim` (hadolint DL3008 wants a pin). */
  tini: '0.19.0-1+b3',
} as const;

/** Resolved options of the go preset. */
export interface GoOptions {
  readonly version: string;
  readonly package: string;
  readonly binary: string;
  readonly tags: readonly string[];
  readonly ldflags: string;
  readonly image: string;
  readonly runtimeImage: string;
}

/** Resolved options of the python preset. */
export interface PythonOptions {
  readonly version: string;
  readonly module: string;
  readonly install: 'requirements' | 'project';
  readonly requirements: string;
  readonly devRequirements: string;
  readonly buildPackages: readonly string[];
  readonly image: string;
}

/** Resolved options of the node preset. */
export interface NodeOptions {
  readonly version: string;
  readonly main: string;
  readonly buildScript: string;
  readonly copy: readonly string[];
  readonly image: string;
  readonly tini: boolean;
}

/** Resolved options of the static preset. */
export interface StaticOptions {
  readonly binary: string;
  readonly path: string;
  readonly image: string;
}

/** The go preset's options with defaults. */
export function resolveGo(b: BuildSpec, name: string): GoOptions {
  const o = b.go ?? {};
  const version = o.version ?? IMAGE_DEFAULTS.go;
  return {
    version,
    package: o.package ?? '.',
    binary: o.binary ?? name,
    tags: o.tags ?? [],
    ldflags: o.ldflags ?? '',
    image: o.image ?? `golang:${version}-bookworm`,
    runtimeImage: o.runtimeImage ?? IMAGE_DEFAULTS.distroless,
  };
}

/** The python preset's options with defaults. */
export function resolvePython(b: BuildSpec, name: string): PythonOptions {
  const o = b.python ?? {};
  const version = o.version ?? IMAGE_DEFAULTS.python;
  return {
    version,
    module: o.module ?? name.replace(/-/g, '_'),
    install: o.install ?? 'requirements',
    requirements: o.requirements ?? 'requirements.txt',
    devRequirements: o.devRequirements ?? 'requirements-dev.txt',
    buildPackages: o.buildPackages ?? [],
    image: o.image ?? `python:${version}-slim`,
  };
}

/** The node preset's options with defaults. */
export function resolveNode(b: BuildSpec): NodeOptions {
  const o = b.node ?? {};
  const version = o.version ?? IMAGE_DEFAULTS.node;
  return {
    version,
    main: o.main ?? 'dist/index.js',
    buildScript: o.buildScript ?? 'build',
    copy: o.copy ?? ['dist'],
    image: o.image ?? `node:${version}-bookworm-slim`,
    tini: o.tini ?? true,
  };
}

/** The static preset's options with defaults. */
export function resolveStatic(b: BuildSpec, name: string): StaticOptions {
  const o = b.static ?? {};
  return {
    binary: o.binary ?? `dist/${name}-\${TARGETOS}-\${TARGETARCH}`,
    path: o.path ?? `/usr/local/bin/${name}`,
    image: o.image ?? 'scratch',
  };
}

/** CMD of the dev stage when `build.devCommand` is not given. */
export function defaultDevCommand(b: BuildSpec, go?: GoOptions, python?: PythonOptions): string[] {
  if (go) return ['go', 'run', goPackageArg(go.package)];
  if (python) return ['python', '-m', python.module];
  return b.preset === 'node' ? ['npm', 'run', 'dev'] : [];
}

/** CMD of the ci stage when `build.testCommand` is not given. */
export function defaultTestCommand(b: BuildSpec): string[] {
  switch (b.preset) {
    case 'go': return ['go', 'test', './...'];
    case 'python': return ['python', '-m', 'pytest'];
    case 'node': return ['npm', 'test'];
    default: return [];
  }
}

/** A Go package path as `go build` wants it (`./cmd/x`, not `cmd/x`, which would be a module path). */
export function goPackageArg(pkg: string): string {
  return pkg === '.' || pkg.startsWith('./') || pkg.startsWith('../') ? pkg : `./${pkg}`;
}

