/**
 * Slipway as an Argo CD Config Management Plugin: argocd/plugin.yaml's discover and generate
 * commands run here with sh and the real CLI (lib/, built by `npm test`'s tsc), the repo-server
 * sidecar patch validates against the Kubernetes 1.28 schema and the restricted profile, and the
 * top-level Dockerfile / .dockerignore build that sidecar image as uid 999.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED } from '../support/k8s-schema';
import { restrictedViolations } from '../support/pss';
import { ROOT, argText, cleanupTempDirs, execArgs, instructions, parse, tempDir } from './helpers';
import { resolveLimits } from '../../src/serve/limits';

const plugin = parseYaml(readFileSync(join(ROOT, 'argocd', 'plugin.yaml'), 'utf8'));
const patch = parseYaml(readFileSync(join(ROOT, 'argocd', 'repo-server-patch.yaml'), 'utf8'));
const CLI = join(ROOT, 'lib', 'cli', 'main.js');
afterAll(cleanupTempDirs);

/** A directory with a `slipway` executable on PATH that runs this checkout's compiled CLI. */
function slipwayOnPath(): string {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build it with \`npx tsc -p .\` (npm test does)`);
  const bin = tempDir('bin');
  writeFileSync(join(bin, 'slipway'), `#!/bin/sh\nexec node ${JSON.stringify(CLI)} "$@"\n`);
  chmodSync(join(bin, 'slipway'), 0o755);
  return bin;
}

/** An application directory: a Slipway spec, a spec without apiVersion and an unrelated YAML. */
function appDir(): string {
  const dir = tempDir('app');
  copyFileSync(join(ROOT, 'examples', 'ghillie.yaml'), join(dir, 'ghillie.yaml'));
  writeFileSync(join(dir, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n');
  mkdirSync(join(dir, 'more'));
  copyFileSync(join(ROOT, 'test', 'image', 'fixtures', 'gophership.yaml'), join(dir, 'more', 'gophership.yaml'));
  return dir;
}

/** Runs one of the plugin's commands ({command, args}) in dir, as argocd-cmp-server does (exec, no shell of its own). */
function runPluginCommand(cmd: { command: string[]; args?: string[] }, dir: string, env: Record<string, string> = {}) {
  const [bin, ...rest] = [...cmd.command, ...(cmd.args ?? [])];
  return spawnSync(bin, rest, { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${slipwayOnPath()}:${process.env.PATH}`, ...env } });
}

describe('argocd/plugin.yaml', () => {
  it('is a ConfigManagementPlugin "slipway" v1 that generates with `slipway synth --stdout`', () => {
    expect(plugin).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'ConfigManagementPlugin', metadata: { name: 'slipway' }, spec: { version: 'v1' } });
    expect(plugin.spec.generate.command).toEqual(['sh', '-c']);
    expect(plugin.spec.generate.args[0]).toContain('exec slipway synth --stdout --input-root . -- "$@"');
    expect(plugin.spec.parameters.static.map((p: any) => p.name)).toEqual(['specs']);
  });

  it('discovers a directory holding a Slipway spec, and only then', () => {
    const dir = appDir();
    const found = runPluginCommand(plugin.spec.discover.find, dir);
    expect(found.status).toBe(0);
    expect(found.stdout.trim().split('\n')).toEqual(['ghillie.yaml']);
    const empty = runPluginCommand(plugin.spec.discover.find, join(dir, 'more'));
    expect({ status: empty.status, stdout: empty.stdout }).toEqual({ status: 0, stdout: '' });
  });

  it('generates the manifests of the specs found (a YAML stream of Kubernetes objects on stdout)', () => {
    const r = runPluginCommand(plugin.spec.generate, appDir());
    expect(r.status, r.stderr).toBe(0);
    const objects = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(objects.length).toBeGreaterThan(3);
    expect(objects.every((o) => o.apiVersion && o.kind && o.metadata?.name)).toBe(true);
    expect(objects.find((o) => o.kind === 'Deployment').metadata.name).toBe('ghillie');
  });

  it('takes the specs parameter (PARAM_SPECS_<n>), and refuses paths outside the application', () => {
    const dir = appDir();
    const r = runPluginCommand(plugin.spec.generate, dir, { PARAM_SPECS_0: 'more/gophership.yaml' });
    expect(r.status, r.stderr).toBe(0);
    expect(parseAllDocuments(r.stdout).map((d) => d.toJS()).find((o) => o.kind === 'DaemonSet').metadata.name).toBe('gophership');
    for (const bad of ['../x.yaml', '/etc/passwd', 'more/../../x.yaml']) {
      const refused = runPluginCommand(plugin.spec.generate, dir, { PARAM_SPECS_0: bad });
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain('must stay inside the application directory');
    }
  });

  it('fails with a clear message where there is no spec', () => {
    const r = runPluginCommand(plugin.spec.generate, tempDir('empty'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no spec in');
  });
});

describe('argocd/repo-server-patch.yaml', () => {
  const sidecar = patch.spec.template.spec.containers[0];

  it('patches argocd-repo-server with a sidecar that runs argocd-cmp-server as uid 999', () => {
    expect(patch).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'argocd-repo-server' } });
    expect(sidecar.command).toEqual(['/usr/local/bin/slipway-sidecar']);
    expect(readFileSync(join(ROOT, 'argocd', 'slipway-sidecar.sh'), 'utf8')).toContain('exec "${ARGOCD_CMP_SERVER:-/var/run/argocd/argocd-cmp-server}" "$@"');
    expect(Object.fromEntries(sidecar.env.map((e: any) => [e.name, e.value]))).toMatchObject({ SLIPWAY_SOCKET: '/tmp/slipway/warm.sock', SLIPWAY_WARM: '1' });
    expect(sidecar.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999 });
  });

  it("sizes the warm renderer's workers to fit the sidecar's memory limit (docs/image.md: 90 + workers × (60 + heap) MB)", () => {
    const env = Object.fromEntries(sidecar.env.map((e: any) => [e.name, e.value]));
    const limits = resolveLimits({}, env);
    expect(limits.workers).toBe(2);
    expect(sidecar.resources.limits.memory).toMatch(/^\d+Mi$/);
    expect(90 + limits.workers * (60 + limits.workerMemoryMb)).toBeLessThanOrEqual(parseInt(sidecar.resources.limits.memory, 10));
  });

  it('mounts the plugin config, the CMP socket dir, var-files and its own /tmp', () => {
    const mounts = Object.fromEntries(sidecar.volumeMounts.map((m: any) => [m.mountPath, m.name]));
    expect(mounts).toEqual({
      '/var/run/argocd': 'var-files',
      '/home/argocd/cmp-server/plugins': 'plugins',
      '/home/argocd/cmp-server/config/plugin.yaml': 'slipway-cmp-plugin',
      '/tmp': 'slipway-tmp',
    });
    expect(sidecar.volumeMounts.find((m: any) => m.name === 'slipway-cmp-plugin').subPath).toBe('plugin.yaml');
  });

  it('validates strictly against the Kubernetes 1.28 Container and Volume schemas', () => {
    const { definitions } = JSON.parse(readFileSync(join(SHARED, 'k8s-schemas', 'v1.28.0', '_definitions.json'), 'utf8'));
    for (const def of Object.values<any>(definitions)) if (def.properties && def.additionalProperties === undefined) def.additionalProperties = false;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    ajv.addSchema({ $id: 'k8s', definitions });
    const container = ajv.compile({ $ref: 'k8s#/definitions/io.k8s.api.core.v1.Container' });
    expect(container(sidecar) ? [] : container.errors).toEqual([]);
    const volume = ajv.compile({ $ref: 'k8s#/definitions/io.k8s.api.core.v1.Volume' });
    for (const v of patch.spec.template.spec.volumes) expect(volume(v) ? [] : volume.errors).toEqual([]);
  });

  it('meets the restricted Pod Security Standard (as far as the sidecar goes)', () => {
    const pod = { automountServiceAccountToken: false, containers: [sidecar], volumes: patch.spec.template.spec.volumes };
    expect(restrictedViolations(pod, 'slipway sidecar')).toEqual([]);
  });
});

describe("Slipway's own image (Dockerfile, .dockerignore)", () => {
  const df = parse(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

  it('builds lib/ with tsc and installs production dependencies (npm ci --omit=dev) on the build platform', () => {
    const froms = df.getFROMs();
    expect(froms.map((f) => [f.getBuildStage(), f.getPlatformFlag()?.getValue() ?? null])).toEqual([
      ['builder', '$BUILDPLATFORM'], ['client', '$BUILDPLATFORM'], ['deps', '$BUILDPLATFORM'], ['production', null],
    ]);
    const runs = instructions(df, 'RUN').map(argText).join('\n');
    expect(runs).toContain('npx tsc -p tsconfig.json');
    expect(runs).toContain('npm ci --omit=dev');
    expect(froms.filter((f) => f.getBuildStage() !== 'client').every((f) => f.getImage() === 'node:20-bookworm-slim')).toBe(true);
    // The warm renderer's client: a static Go binary cross-compiled for the target platform.
    expect(froms.find((f) => f.getBuildStage() === 'client')?.getImage()).toMatch(/^golang:/);
    expect(runs).toContain('CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build');
  });

  it('runs as the numeric user 999:999, like the sidecar, and ships the plugin config', () => {
    expect(instructions(df, 'USER').map(argText)).toEqual(['999:999']);
    expect(patch.spec.template.spec.containers[0].securityContext.runAsUser).toBe(999);
    expect(instructions(df, 'COPY').map(argText)).toContain('argocd/plugin.yaml /home/argocd/cmp-server/config/plugin.yaml');
    expect(execArgs(instructions(df, 'ENTRYPOINT')[0])).toEqual(['node', '/app/lib/cli/main.js']);
  });

  it("labels the image with package.json's version", () => {
    const labels = Object.fromEntries((instructions(df, 'LABEL')[0] as any).getProperties().map((p: any) => [p.getName(), p.getValue()]));
    expect(labels['org.opencontainers.image.version']).toBe(pkg.version);
    expect(labels['org.opencontainers.image.licenses']).toBe(pkg.license);
  });

  it('.dockerignore keeps out what the build does not use, and nothing it copies from the context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'lib', 'dist', '**/.git', '**/.env']));
    const sources = instructions(df, 'COPY').filter((c) => !argText(c).startsWith('--from')).flatMap((c) => c.getArguments().slice(0, -1).map((a) => a.getValue()));
    expect([...new Set(sources)].sort()).toEqual(['argocd/plugin.yaml', 'argocd/slipway-sidecar.sh', 'package-lock.json', 'package.json', 'schema', 'src', 'tsconfig.json', 'warm-client']);
    for (const src of sources) {
      expect(existsSync(join(ROOT, src)), src).toBe(true);
      expect(ignored.filter((p) => p === src || src.startsWith(`${p}/`) || p === src.split('/')[0]), src).toEqual([]);
    }
  });
});
