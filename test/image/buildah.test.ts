/**
 * Real, daemonless multi-arch builds of generated image definitions with buildah (vfs storage,
 * chroot isolation, as root, no daemon), for linux/amd64 and linux/arm64 into one manifest list:
 * - the `static` preset, from tiny static Go binaries cross-compiled here (FROM scratch);
 * - the `go` preset, whose base images cannot be pulled here: they are stood in for by local
 *   images (a Go toolchain image made from this machine's Go, a distroless-like image per arch),
 *   named through the preset's `go.image` / `go.runtimeImage` options.
 * The images are inspected (architecture, user, labels, file owners) and run, the arm64 ones
 * through qemu-user-static when binfmt_misc has it registered.
 *
 * Needs buildah (`bash scripts/install-buildah.sh`) and Go. Without them the suite is skipped with
 * the reason printed, except under CI, where it fails.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ELF_MACHINE, GO, HOST_ARCH, PLATFORMS, QEMU_ARM64, VERSION, buildahIn, elfMachine, isDynamic, missing, ownerOf,
  standInBaseImages, withRoot, writeDefinition, type Buildah,
} from './buildah-support';

if (missing && process.env.CI) throw new Error(`buildah suite: ${missing}`);
if (missing) console.warn(`SKIPPED buildah suite: ${missing}`);

const SPEC = `name: agent
version: 0.2.0
description: buildah test agent
image: { registry: ghcr.io, repository: slipway-test/agent }
ports: [{ name: metrics, containerPort: 9100 }]
security:
  runAsUser: 10001
  runAsGroup: 10002
  writablePaths: [/tmp, /var/cache/agent/data]
build:
  preset: static
  labels: { test.slipway.price: "costs $5" }
`;

/** A program that reports its architecture and user, and writes a file into each directory given. */
const PROGRAM = `package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

func main() {
	fmt.Printf("arch=%s uid=%d gid=%d\\n", runtime.GOARCH, os.Getuid(), os.Getgid())
	for _, dir := range os.Args[1:] {
		if err := os.WriteFile(filepath.Join(dir, "probe"), []byte("ok"), 0o600); err != nil {
			fmt.Println("cannot write:", err)
			os.Exit(1)
		}
		fmt.Println("wrote", dir)
	}
}
`;

describe.skipIf(!!missing)('buildah: multi-arch build of the static preset', () => {
  let work: string;
  let buildah: Buildah;
  let buildOutput = '';
  const inspect = async (arch: string) => JSON.parse((await buildah(['inspect', '--type', 'image', `localhost/agent:${arch}`])).stdout);

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'slipway-buildah-'));
    buildah = buildahIn(work);
    const ctx = join(work, 'ctx');
    // The prebuilt binaries the static preset expects: dist/<name>-<os>-<arch>.
    const src = join(work, 'src');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'go.mod'), 'module example.com/agent\n\ngo 1.21\n');
    writeFileSync(join(src, 'main.go'), PROGRAM);
    for (const arch of PLATFORMS) {
      execFileSync(GO!, ['build', '-trimpath', '-ldflags=-s -w', '-o', join(ctx, 'dist', `agent-linux-${arch}`), '.'], {
        cwd: src,
        env: { ...process.env, CGO_ENABLED: '0', GOOS: 'linux', GOARCH: arch, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
      });
    }
    writeDefinition(ctx, SPEC);
    for (const arch of PLATFORMS) {
      const r = await buildah(['build', '--pull=never', '--platform', `linux/${arch}`, '-f', join(ctx, 'image', 'Dockerfile'), '--target', 'production',
        '-t', `agent:${arch}`, '--manifest', 'agent:multi', ctx]);
      buildOutput += r.stdout + r.stderr;
    }
  }, 300_000);

  afterAll(async () => {
    if (!work) return;
    await buildah(['rm', '--all'], { allowFail: true });
    rmSync(work, { recursive: true, force: true });
  });

  it(`builds both platforms into one manifest list (${VERSION})`, async () => {
    const list = JSON.parse((await buildah(['manifest', 'inspect', 'agent:multi'])).stdout);
    expect(list.manifests.map((m: any) => `${m.platform.os}/${m.platform.architecture}`).sort()).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it.each(PLATFORMS)('%s image: architecture, numeric user, entrypoint, port and labels as generated', async (arch) => {
    const { OCIv1: oci } = await inspect(arch);
    expect(oci.architecture).toBe(arch);
    expect(oci.os).toBe('linux');
    expect(oci.config.User).toBe('10001:10002');
    expect(oci.config.Entrypoint).toEqual(['/usr/local/bin/agent']);
    expect(Object.keys(oci.config.ExposedPorts)).toEqual(['9100/tcp']);
    expect(oci.config.Labels).toMatchObject({
      'org.opencontainers.image.title': 'agent',
      'org.opencontainers.image.description': 'buildah test agent',
      'org.opencontainers.image.version': '0.2.0',
      'test.slipway.price': 'costs $5',
    });
    expect(oci.config.Healthcheck).toBeUndefined();
  });

  it.each(PLATFORMS)('%s image: holds the binary of its architecture, and the writable paths owned by the pod user', async (arch) => {
    await withRoot(buildah, `localhost/agent:${arch}`, (root) => {
      expect(elfMachine(join(root, 'usr/local/bin/agent'))).toBe(ELF_MACHINE[arch]);
      expect(ownerOf(root, 'usr/local/bin/agent')).toBe('0:0 555');
      expect(ownerOf(root, 'tmp')).toBe('10001:10002 755');
      expect(ownerOf(root, 'var/cache/agent/data')).toBe('10001:10002 755');
      // Parents were created before USER, so they stay root's (scratch's user).
      expect(ownerOf(root, 'var/cache/agent')).toBe('0:0 755');
      expect(ownerOf(root, 'var')).toBe('0:0 755');
    });
  });

  it.each(PLATFORMS)('%s image runs as 10001:10002 and can write its writable paths', async (arch) => {
    if (arch === 'arm64' && !QEMU_ARM64) {
      console.warn('SKIPPED running the arm64 image: no qemu-aarch64 binfmt_misc handler (scripts/install-buildah.sh registers it)');
      return;
    }
    await withRoot(buildah, `localhost/agent:${arch}`, async (_, container) => {
      const r = await buildah(['run', '--isolation', 'chroot', container, '--', '/usr/local/bin/agent', '/tmp', '/var/cache/agent/data']);
      expect(r.stdout.trim().split('\n')).toEqual([`arch=${arch} uid=10001 gid=10002`, 'wrote /tmp', 'wrote /var/cache/agent/data']);
    });
  });

  it('ran no step that needs the target architecture (nothing to emulate while building)', () => {
    expect(buildOutput).not.toMatch(/STEP \d+\/\d+: RUN /);
  });
});

const GO_SPEC = `name: gateway
version: 0.3.0
image: { registry: ghcr.io, repository: slipway-test/gateway }
ports: [{ name: http, containerPort: 8081 }]
security: { runAsUser: 1001, runAsGroup: 1001, writablePaths: [/tmp, /var/cache/gateway] }
build:
  preset: go
  go:
    package: ./cmd/gateway
    ldflags: -X main.version=0.3.0
    image: localhost/slipway-test/golang:host
    runtimeImage: localhost/slipway-test/distroless-static:nonroot
  targets: { base: base, dev: development, ci: ci, builder: builder, final: production }
`;

const GO_MAIN = `package main

import (
	"fmt"
	"os"
	"runtime"
)

var version = "dev"

func main() { fmt.Printf("gateway %s arch=%s uid=%d\\n", version, runtime.GOARCH, os.Getuid()) }
`;

const GO_TEST = `package main

import "testing"

func TestVersion(t *testing.T) {
	if version == "" {
		t.Fatal("no version")
	}
}
`;

describe.skipIf(!!missing)('buildah: multi-arch build of the go preset (stand-in base images)', () => {
  let work: string;
  let buildah: Buildah;
  let buildOutput = '';

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'slipway-buildah-go-'));
    buildah = buildahIn(work);
    await standInBaseImages(buildah, work);
    const ctx = join(work, 'ctx');
    mkdirSync(join(ctx, 'cmd', 'gateway'), { recursive: true });
    writeFileSync(join(ctx, 'go.mod'), 'module example.com/gateway\n\ngo 1.21\n');
    writeFileSync(join(ctx, 'cmd', 'gateway', 'main.go'), GO_MAIN);
    writeFileSync(join(ctx, 'cmd', 'gateway', 'main_test.go'), GO_TEST);
    writeDefinition(ctx, GO_SPEC);
    // buildah 1.28 does not fill in BUILDPLATFORM for `FROM --platform=$BUILDPLATFORM` (BuildKit
    // does, and later buildah versions too): pass it.
    const common = ['build', '--pull=never', '--build-arg', `BUILDPLATFORM=linux/${HOST_ARCH}`, '-f', join(ctx, 'image', 'Dockerfile')];
    for (const arch of PLATFORMS) {
      const r = await buildah([...common, '--platform', `linux/${arch}`, '--target', 'production', '-t', `gateway:${arch}`, '--manifest', 'gateway:multi', ctx]);
      buildOutput += r.stdout + r.stderr;
    }
    await buildah([...common, '--target', 'ci', '-t', 'gateway:ci', ctx]);
  }, 600_000);

  afterAll(async () => {
    if (!work) return;
    await buildah(['rm', '--all'], { allowFail: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('builds linux/amd64 and linux/arm64 into one manifest list', async () => {
    const list = JSON.parse((await buildah(['manifest', 'inspect', 'gateway:multi'])).stdout);
    expect(list.manifests.map((m: any) => `${m.platform.os}/${m.platform.architecture}`).sort()).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('compiles on the build platform only: every RUN is in a build-platform stage', () => {
    const runs = buildOutput.match(/STEP \d+\/\d+: RUN .*/g) ?? [];
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((r) => /go mod download|go build/.test(r))).toBe(true);
  });

  it.each(PLATFORMS)('%s image: a static binary of its architecture, stripped, on the distroless stand-in, as 1001:1001', async (arch) => {
    const { OCIv1: oci } = JSON.parse((await buildah(['inspect', '--type', 'image', `localhost/gateway:${arch}`])).stdout);
    expect([oci.architecture, oci.config.User, oci.config.Entrypoint]).toEqual([arch, '1001:1001', ['/usr/local/bin/gateway']]);
    await withRoot(buildah, `localhost/gateway:${arch}`, (root) => {
      const bin = join(root, 'usr/local/bin/gateway');
      expect(elfMachine(bin)).toBe(ELF_MACHINE[arch]);
      const elf = readFileSync(bin);
      expect(elf.includes('.symtab')).toBe(false);
      expect(isDynamic(bin)).toBe(false);
      expect(ownerOf(root, 'var/cache/gateway')).toBe('1001:1001 755');
      expect(ownerOf(root, 'tmp')).toBe('0:0 1777');
      expect(existsSync(join(root, 'bin/sh'))).toBe(false);
    });
  });

  it.each(PLATFORMS)('%s image runs the binary built with the spec ldflags, as 1001', async (arch) => {
    if (arch === 'arm64' && !QEMU_ARM64) {
      console.warn('SKIPPED running the arm64 image: no qemu-aarch64 binfmt_misc handler (scripts/install-buildah.sh registers it)');
      return;
    }
    await withRoot(buildah, `localhost/gateway:${arch}`, async (_, container) => {
      expect((await buildah(['run', '--isolation', 'chroot', container, '--', '/usr/local/bin/gateway'])).stdout.trim()).toBe(`gateway 0.3.0 arch=${arch} uid=1001`);
    });
  });

  it('the ci stage runs the tests as the pod user', async () => {
    const { OCIv1: oci } = JSON.parse((await buildah(['inspect', '--type', 'image', 'localhost/gateway:ci'])).stdout);
    expect([oci.config.User, oci.config.Cmd]).toEqual(['1001:1001', ['go', 'test', './...']]);
    await withRoot(buildah, 'localhost/gateway:ci', async (_, container) => {
      expect((await buildah(['run', '--isolation', 'chroot', container, '--', ...oci.config.Cmd])).stdout).toMatch(/^ok\s+example\.com\/gateway\/cmd\/gateway/m);
    });
  }, 300_000);
});
