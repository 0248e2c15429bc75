/**
 * The pod's writable paths (`security.writablePaths`, emptyDir mounts over a read-only root) made
 * to exist in the image, owned by the pod's user, so the image also runs outside Kubernetes.
 */
import { posix } from 'node:path';
import type { ImageBuild } from './model';
import { shq, dockerWord } from './quote';

/** World-writable (1777) in every Debian-based image already: left as they are. */
const DEBIAN_TMP = ['/tmp', '/var/tmp'];

/**
 * For an image with a shell: one `RUN install -d -o uid -g gid` (nothing when no path needs it).
 * Parent directories that install creates stay owned by root.
 */
export function createWithShell(b: ImageBuild): string[] {
  const paths = b.writablePaths.filter((p) => !DEBIAN_TMP.includes(p));
  if (!paths.length) return [];
  return [
    `# Writable paths (emptyDir mounts in the pod), owned by the pod's user ${b.uid}:${b.gid}.`,
    `RUN install -d -o ${b.uid} -g ${b.gid} -m 0755 ${paths.map(shq).join(' ')}`,
  ];
}

/**
 * For an image without a shell (distroless, scratch): WORKDIR creates a missing directory owned by
 * the current USER (BuildKit and buildah alike). Parents are created first, before USER, so they
 * belong to the base image's user (root for scratch); the paths themselves after USER.
 * Returns the lines before and after the USER instruction; the last one sets the working directory
 * back to `finalDir`.
 */
export function createWithWorkdir(b: ImageBuild, finalDir: string): { beforeUser: string[]; afterUser: string[] } {
  if (!b.writablePaths.length) return { beforeUser: [], afterUser: finalDir === '/' ? [] : [`WORKDIR ${dockerWord(finalDir)}`] };
  const parents = [...new Set(b.writablePaths.map((p) => posix.dirname(p)))]
    .filter((d) => d !== '/' && !b.writablePaths.includes(d))
    .filter((d, _, all) => !all.some((o) => o !== d && o.startsWith(`${d}/`)))
    .sort();
  const comment = '# Writable paths (emptyDir mounts in the pod), made by WORKDIR (there is no shell):';
  return {
    beforeUser: parents.length ? [comment, '# their parents as the base image\'s user,', ...parents.map((d) => `WORKDIR ${dockerWord(d)}`)] : [],
    afterUser: [
      ...(parents.length ? [] : [comment]),
      `# the paths after USER, so owned by ${b.uid}:${b.gid} (paths the base image has keep their owner).`,
      ...b.writablePaths.map((p) => `WORKDIR ${dockerWord(p)}`),
      `WORKDIR ${dockerWord(finalDir)}`,
    ],
  };
}
