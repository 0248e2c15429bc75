/**
 * The image reference grammar container runtimes parse (`[registry/]repository[:tag][@digest]`),
 * checked per part so a problem is reported at the field that holds it. The API server only
 * refuses an empty image or surrounding spaces; anything else this grammar rejects is accepted by
 * the server and then fails on every node with InvalidImageName, so Slipway refuses it up front.
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REGISTRY = new RegExp(`^${HOST}(?::[0-9]+)?(?:/${PATH_COMPONENT})*$`);
const REPOSITORY = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** Longest repository name (registry and repository together), as the reference grammar allows. */
export const IMAGE_NAME_MAX = 255;

/** A registry host (`ghcr.io`, `localhost:5000`), optionally followed by path components. */
export function imageRegistry(s: string): string | undefined {
  if (s === '') return undefined;
  if (/\s/.test(s)) return 'must not contain spaces';
  if (!REGISTRY.test(s)) return 'must be a registry host such as ghcr.io or registry.example.com:5000 (letters, digits, "-" and "." in the host, an optional :port, then optional lower-case path parts)';
  return undefined;
}

/** A repository path (`acme/web`): lower-case parts separated by `/`; `.`, `_`, `__` or dashes between letters and digits. */
export function imageRepository(s: string): string | undefined {
  if (/\s/.test(s)) return 'must not contain spaces';
  if (/[A-Z]/.test(s)) return `must be lower case (try "${s.toLowerCase()}")`;
  if (!REPOSITORY.test(s)) return 'must be lower-case path parts separated by "/", each letters and digits joined by ".", "_", "__" or "-" (e.g. acme/web)';
  return undefined;
}

/** A tag: a letter, digit or `_`, then up to 127 letters, digits, `_`, `.` and `-` (no `+`, `/` or spaces). */
export function imageTag(s: string): string | undefined {
  if (!TAG.test(s)) {
    const plus = s.includes('+') ? ` ("+" is not allowed: try "${s.replace(/\+/g, '_')}")` : '';
    return `must be an image tag: up to 128 letters, digits, "_", "." and "-", not starting with "." or "-"${plus}`;
  }
  return undefined;
}

/** A content digest `algorithm:hex`. */
export function imageDigest(s: string): string | undefined {
  if (s === '') return undefined;
  return DIGEST.test(s) ? undefined : 'must be a digest such as sha256:<64 hex digits>';
}

/** Length of the name part (`registry/repository`) against the grammar's limit. */
export function imageName(registry: string, repository: string): string | undefined {
  const name = registry ? `${registry}/${repository}` : repository;
  return name.length > IMAGE_NAME_MAX ? `registry and repository together must be at most ${IMAGE_NAME_MAX} characters (they have ${name.length})` : undefined;
}
