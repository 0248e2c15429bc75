/** Helpers of buildah.test.ts: buildah with its own storage, mounted image roots, stand-in base images. */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderImage } from '../../src/image';
import { findTool } from '../support/tools';
import { modelOf } from './helpers';

/** buildah and go, found in the tools cache or on PATH. */
export const BUILDAH = findTool('buildah');
/** The Go toolchain that cross-compiles the test binaries and becomes the stand-in builder image. */
export const GO = findTool('go');
/** Why the suite cannot run here (undefined when it can). */
export const missing = !BUILDAH ? 'buildah not found: run `bash scripts/install-buildah.sh` (as root)' : !GO ? 'go not found (needed to cross-compile the test binaries)' : undefined;

/** The platforms built. */
export const PLATFORMS = ['amd64', 'arm64'] as const;
/** ELF e_machine of each architecture (what `file` reports as x86-64 / ARM aarch64). */
export const ELF_MACHINE = { amd64: 0x3e, arm64: 0xb7 };
/** Whether arm64 binaries run here (qemu-user-static registered in binfmt_misc). */
export const QEMU_ARM64 = existsSync('/proc/sys/fs/binfmt_misc/qemu-aarch64');
/** `buildah --version`. */
export const VERSION = BUILDAH ? execFileSync(BUILDAH, ['--version'], { encoding: 'utf8' }).trim() : '';
/** This machine's platform: what BUILDPLATFORM is. */
export const HOST_ARCH = process.arch === 'x64' ? 'amd64' : process.arch;

/**
 * Runs buildah with its own storage under `work` (vfs: no overlay mounts needed) and chroot
 * isolation; asynchronous, so long builds do not block the test worker.
 */
export function buildahIn(work: string) {
  return (args: string[], opts: { allowFail?: boolean } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(BUILDAH!, ['--root', join(work, 'storage'), '--runroot', join(work, 'run'), '--storage-driver', 'vfs', ...args], {
        env: { ...process.env, BUILDAH_ISOLATION: 'chroot' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('error', reject);
      child.on('close', (status) => {
        if (status !== 0 && !opts.allowFail) reject(new Error(`buildah ${args.join(' ')} failed (${status}):\n${stderr}\n${stdout}`));
        else resolve({ status, stdout, stderr });
      });
    });
}
/** A buildah runner (see buildahIn). */
export type Buildah = ReturnType<typeof buildahIn>;

/** Writes the image files of a spec into <ctx>/image/ (.dockerignore at the context root, where every builder reads it). */
export function writeDefinition(ctx: string, spec: string): void {
  for (const [rel, text] of Object.entries(renderImage(modelOf(spec), { outputDir: 'image' }))) {
    const path = rel === '.dockerignore' ? join(ctx, rel) : join(ctx, 'image', rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}

/** Owner and mode of a path in a mounted root, as `uid:gid mode`. */
export function ownerOf(root: string, path: string): string {
  const s = statSync(join(root, path));
  return `${s.uid}:${s.gid} ${(s.mode & 0o7777).toString(8)}`;
}

/** Mounts a new container of an image, calls fn with its root, removes it. */
export async function withRoot<T>(buildah: Buildah, image: string, fn: (root: string, container: string) => Promise<T> | T): Promise<T> {
  const container = (await buildah(['from', '--pull=never', image])).stdout.trim();
  try {
    return await fn((await buildah(['mount', container])).stdout.trim(), container);
  } finally {
    await buildah(['rm', container], { allowFail: true });
  }
}

/** Whether a 64-bit little-endian ELF binary asks for a dynamic loader (has a PT_INTERP program header). */
export function isDynamic(file: string): boolean {
  const elf = readFileSync(file);
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) if (elf.readUInt32LE(phoff + i * phentsize) === 3) return true;
  return false;
}

/** The ELF machine of a binary file. */
export function elfMachine(file: string): number {
  const elf = readFileSync(file);
  if (elf.subarray(0, 4).toString('latin1') !== '\x7fELF') throw new Error(`${file} is not an ELF binary`);
  return elf.readUInt16LE(18);
}

/**
 * Stand-ins for the go preset's base images, which cannot be pulled here:
 * - a Go toolchain image for the build platform: this machine's GOROOT, /bin/sh and its libraries;
 * - "distroless": an empty image with /tmp (1777) and /etc/passwd (nonroot 65532) per architecture,
 *   as one manifest list, like gcr.io/distroless/static-debian12:nonroot.
 */
export async function standInBaseImages(buildah: Buildah, work: string): Promise<void> {
  const golang = join(work, 'golang-root');
  const goroot = execFileSync(GO!, ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  for (const part of ['bin', 'src', 'go.env', 'VERSION', join('pkg', 'tool'), join('pkg', 'include')]) {
    // The standard library's own tests and test data are not needed to build and test other code.
    const wanted = (src: string) => !/[\\/]testdata([\\/]|$)/.test(src) && !src.endsWith('_test.go');
    if (existsSync(join(goroot, part))) cpSync(join(goroot, part), join(golang, 'usr/local/go', part), { recursive: true, filter: wanted });
  }
  const sh = realpathSync('/bin/sh');
  cpSync(sh, join(golang, 'bin/sh'));
  for (const lib of execFileSync('ldd', [sh], { encoding: 'utf8' }).match(/\/[^\s)]+/g) ?? []) cpSync(realpathSync(lib), join(golang, lib));
  for (const dir of ['tmp', 'root', 'go']) mkdirSync(join(golang, dir), { recursive: true });
  chmodSync(join(golang, 'tmp'), 0o1777);
  let c = (await buildah(['from', 'scratch'])).stdout.trim();
  await buildah(['copy', '--quiet', c, `${golang}/`, '/']);
  await buildah(['config', '--env', 'PATH=/usr/local/go/bin:/bin', '--env', 'GOPATH=/go', '--env', 'HOME=/root', '--env', 'GOTOOLCHAIN=local', '--env', 'GOPROXY=off', c]);
  await buildah(['commit', '--quiet', '--rm', c, 'localhost/slipway-test/golang:host']);

  const distroless = join(work, 'distroless-root');
  mkdirSync(join(distroless, 'etc'), { recursive: true });
  mkdirSync(join(distroless, 'tmp'));
  chmodSync(join(distroless, 'tmp'), 0o1777);
  writeFileSync(join(distroless, 'etc/passwd'), 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n');
  const list = 'localhost/slipway-test/distroless-static:nonroot';
  await buildah(['manifest', 'create', list]);
  for (const arch of PLATFORMS) {
    c = (await buildah(['from', '--arch', arch, 'scratch'])).stdout.trim();
    await buildah(['copy', '--quiet', c, `${distroless}/`, '/']);
    await buildah(['config', '--arch', arch, '--user', '65532:65532', c]);
    await buildah(['commit', '--quiet', '--rm', c, `localhost/slipway-test/distroless:${arch}`]);
    await buildah(['manifest', 'add', list, `containers-storage:localhost/slipway-test/distroless:${arch}`]);
  }
}
