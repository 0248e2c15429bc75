/** Base images of a build and their (optional) digest pins. */
import type { ImageBuild } from './model';

/** The base images a preset's Dockerfile starts from, as written in FROM (before pinning). */
export function baseImagesOf(b: ImageBuild): string[] {
  const images = b.go ? [b.go.image, b.go.runtimeImage]
    : b.python ? [b.python.image]
      : b.node ? [b.node.image]
        : b.static ? [b.static.image] : [];
  return [...new Set(images)];
}

/** `image` as FROM names it: `image@sha256:...` when `build.digests` pins it, else `image`. */
export function pinned(b: ImageBuild, image: string): string {
  const digest = b.digests[image];
  return digest ? `${image}@${digest}` : image;
}
