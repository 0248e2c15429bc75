/**
 * The e2e fixture (test/fixture) built the way a user builds a Slipway service: `slipway synth`
 * renders the image definition and the chart for test/fixture/slipway.yaml; the binary is built for
 * linux/amd64; buildah builds the image from the generated Dockerfile (static preset, FROM scratch)
 * into its own storage; the image is saved as a docker archive and loaded into the node's
 * containerd (`ctr -n k8s.io images import`), or into a kind cluster (`kind load image-archive`,
 * SLIPWAY_KIND_CLUSTER=<name>), or assumed loaded (SLIPWAY_FIXTURE_LOADED=1).
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../support/examples';

const exec = promisify(execFile);

export const FIXTURE_SPEC = path.join(ROOT, 'test', 'fixture', 'slipway.yaml');
export const FIXTURE_SRC = path.join(ROOT, 'test', 'fixture');
export const FIXTURE_REPOSITORY = 'slipway/fixture';

export interface Fixture {
  /** `localhost/slipway/fixture:<tag>`. */
  readonly image: string;
  readonly tag: string;
  /** The generated chart directory. */
  readonly chart: string;
  /** The fixture binary (linux/amd64, static): also a client run inside the node's netns. */
  readonly binary: string;
  /** The generated Dockerfile. */
  readonly dockerfile: string;
  /** USER of the built image config, e.g. "10001:10001". */
  readonly imageUser: string;
  /** Milliseconds: synth, go build, buildah build + save, import. */
  readonly timings: Record<string, number>;
  readonly work: string;
}

async function timed<T>(timings: Record<string, number>, name: string, fn: () => Promise<T>): Promise<T> {
  const t = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Date.now() - t;
  }
}

function buildahIn(work: string) {
  return (...args: string[]) => exec('buildah', ['--root', path.join(work, 'storage'), '--runroot',
    path.join(work, 'run'), '--storage-driver', 'vfs', ...args], { env: { ...process.env, BUILDAH_ISOLATION: 'chroot' }, maxBuffer: 16 << 20 });
}

async function loadImage(containerdSocket: string | undefined, image: string, tar: string): Promise<void> {
  if (containerdSocket) {
    await exec('ctr', ['--address', containerdSocket, '-n', 'k8s.io', 'images', 'import', tar]);
  } else if (process.env.SLIPWAY_KIND_CLUSTER) {
    await exec('kind', ['load', 'image-archive', tar, '--name', process.env.SLIPWAY_KIND_CLUSTER]);
  } else if (process.env.SLIPWAY_FIXTURE_LOADED !== '1') {
    throw new Error(`no way to load ${image} into the cluster: set SLIPWAY_KIND_CLUSTER (kind) or load ${tar} yourself and set SLIPWAY_FIXTURE_LOADED=1`);
  }
}

/** Files of the helm-test image: a POSIX shell (dash and its libc), `sleep`, and `nc`. */
const TEST_IMAGE_FILES: Record<string, string> = {
  '/bin/sh': '/bin/dash',
  '/lib/x86_64-linux-gnu/libc.so.6': '/lib/x86_64-linux-gnu/libc.so.6',
  '/lib64/ld-linux-x86-64.so.2': '/lib64/ld-linux-x86-64.so.2',
  '/bin/sleep': '/bin/busybox',
};

/** Why the helm-test image cannot be built here (undefined when it can). */
export function testImageUnavailable(): string | undefined {
  const missing = Object.values(TEST_IMAGE_FILES).filter((f) => !fs.existsSync(f));
  return missing.length ? `missing ${missing.join(', ')} (dash, busybox-static) for the helm test image` : undefined;
}

/**
 * The chart's `helm test` Pod image (values `tests.image`), built locally because nothing can be
 * pulled: the test script needs `sh`, `sleep` and `nc -z`. Debian's static busybox has no `nc -z`
 * and its shell always runs its own applets, so the shell is dash (with its libc), `sleep` is
 * busybox, and `nc` is the fixture binary (it does `nc -z [-w secs] host port` when called nc).
 */
export async function buildTestImage(f: Fixture, containerdSocket?: string): Promise<string> {
  const ctx = path.join(f.work, 'test-image');
  const lines = ['FROM scratch'];
  for (const [dest, src] of Object.entries(TEST_IMAGE_FILES)) {
    const name = dest.replace(/\//g, '_');
    fs.mkdirSync(ctx, { recursive: true });
    fs.copyFileSync(src, path.join(ctx, name));
    lines.push(`COPY ${name} ${dest}`);
  }
  fs.copyFileSync(f.binary, path.join(ctx, 'nc'));
  lines.push('COPY nc /bin/nc', 'ENV PATH=/bin', 'USER 65534:65534');
  fs.writeFileSync(path.join(ctx, 'Containerfile'), lines.join('\n') + '\n');
  const image = `localhost/slipway/helm-test:${f.tag}`;
  const buildah = buildahIn(f.work);
  const tar = path.join(f.work, 'helm-test.tar');
  await buildah('bud', '--quiet', '--platform', 'linux/amd64', '-f', path.join(ctx, 'Containerfile'), '-t', image, ctx);
  await buildah('push', '--quiet', image, `docker-archive:${tar}:${image}`);
  await loadImage(containerdSocket, image, tar);
  return image;
}

/** Builds the fixture image from Slipway's output and makes the cluster's node(s) have it. */
export async function buildFixture(containerdSocket?: string): Promise<Fixture> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-fixture-'));
  const timings: Record<string, number> = {};
  const cli = path.join(ROOT, 'lib', 'cli', 'main.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} not found: run npm run build`);
  const out = path.join(work, 'out');
  await timed(timings, 'slipway synth', () => exec(process.execPath, [cli, 'synth', FIXTURE_SPEC, '-o', out]));
  const chart = path.join(out, 'fixture', 'chart', 'fixture');
  const dockerfile = path.join(out, 'fixture', 'image', 'Dockerfile');

  // The static preset copies dist/fixture-${TARGETOS}-${TARGETARCH} from the build context.
  const ctx = path.join(work, 'ctx');
  const bin = path.join(ctx, 'dist', 'fixture-linux-amd64');
  await timed(timings, 'go build', () => exec('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', bin, '.'], {
    cwd: FIXTURE_SRC, env: { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: 'amd64', GOFLAGS: '-mod=mod' },
  }));
  const tag = crypto.createHash('sha256').update(fs.readFileSync(bin)).update(fs.readFileSync(dockerfile)).digest('hex').slice(0, 12);
  const image = `localhost/${FIXTURE_REPOSITORY}:${tag}`;
  const buildah = buildahIn(work);
  const tar = path.join(work, 'fixture.tar');
  await timed(timings, 'buildah build + save', async () => {
    await buildah('bud', '--quiet', '--platform', 'linux/amd64', '-f', dockerfile, '-t', image, ctx);
    await buildah('push', '--quiet', image, `docker-archive:${tar}:${image}`);
  });
  const config = JSON.parse((await buildah('inspect', '--type', 'image', image)).stdout);
  const imageUser = config.OCIv1?.config?.User ?? config.Docker?.config?.User ?? '';

  await timed(timings, 'load into the node', () => loadImage(containerdSocket, image, tar));
  return { image, tag, chart, binary: bin, dockerfile, imageUser, timings, work };
}

/**
 * Synthesizes another spec (test/fixture/specs/<name>.yaml) with the built CLI into the fixture's
 * work directory; returns the chart directory of `service` (the fixture image stands in for every
 * image it names: see fixtureImageValues).
 */
export async function synthSpec(f: Fixture, name: string, service: string): Promise<string> {
  const out = path.join(f.work, `spec-${name}`);
  await exec(process.execPath, [path.join(ROOT, 'lib', 'cli', 'main.js'), 'synth', path.join(FIXTURE_SRC, 'specs', `${name}.yaml`), '-o', out]);
  return path.join(out, service, 'chart', service);
}

/** The fixture image reference, for values that take a whole reference (sidecars.<name>.image). */
export function fixtureImageRef(f: Fixture): string {
  return `localhost/${FIXTURE_REPOSITORY}:${f.tag}`;
}

/** helm --set flags that point a Slipway chart's image values at the fixture. */
export function fixtureImageValues(f: Fixture): string[] {
  return ['--set', 'image.registry=localhost', '--set', `image.repository=${FIXTURE_REPOSITORY}`,
    '--set', `image.tag=${f.tag}`, '--set', 'image.pullPolicy=IfNotPresent'];
}

/**
 * An image of the fixture standing in for an example's image: the fixture binary also installed
 * under every path the example's containers run (`command[0]`, exec probes: e.g. `python`,
 * `/usr/local/bin/queue-worker`), and the numeric USER `uid:gid` the example's pods run as (the
 * image's USER must equal the pod's runAsUser). Returns the image reference
 * (`localhost/slipway/fixture-examples:<tag>-u<uid>`), loaded into the node.
 */
export const EXAMPLES_REPOSITORY = 'slipway/fixture-examples';
export async function buildVariants(f: Fixture, users: readonly string[], aliases: readonly string[], containerdSocket?: string): Promise<Map<string, string>> {
  const ctx = path.join(f.work, 'variants');
  fs.mkdirSync(ctx, { recursive: true });
  fs.copyFileSync(f.binary, path.join(ctx, 'fixture'));
  const buildah = buildahIn(f.work);
  const out = new Map<string, string>();
  const paths = [...new Set(aliases.map((a) => (a.startsWith('/') ? a : `/usr/local/bin/${a}`)))].filter((a) => a !== '/usr/local/bin/fixture').sort();
  for (const user of users) {
    const lines = [`FROM ${f.image}`, ...paths.map((p) => `COPY fixture ${p}`),
      'ENV PATH=/usr/local/bin:/usr/bin:/bin', `USER ${user}`];
    const file = path.join(ctx, `Containerfile.${user.replace(':', '-')}`);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const image = `localhost/${EXAMPLES_REPOSITORY}:${f.tag}-u${user.split(':')[0]}`;
    const tar = path.join(f.work, `variant-${user.replace(':', '-')}.tar`);
    await buildah('bud', '--quiet', '--platform', 'linux/amd64', '-f', file, '-t', image, ctx);
    await buildah('push', '--quiet', image, `docker-archive:${tar}:${image}`);
    const config = JSON.parse((await buildah('inspect', '--type', 'image', image)).stdout);
    const imageUser = config.OCIv1?.config?.User ?? config.Docker?.config?.User ?? '';
    if (imageUser !== user) throw new Error(`${image}: USER ${imageUser}, expected ${user}`);
    await loadImage(containerdSocket, image, tar);
    out.set(user, image);
  }
  return out;
}
