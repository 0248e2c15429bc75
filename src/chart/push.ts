/** `helm push` of packaged charts to an OCI registry, with the real helm binary. */
import { execFileSync } from 'node:child_process';
import { basename } from 'node:path';
import { helmBinary, helmMissingMessage, ToolMissingError } from './package';

/** An OCI repository URL as `helm push` takes it: `oci://host[:port]/path`, no credentials, tag or spaces. */
const OCI_URL = /^oci:\/\/[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*\/?$/;

/** A reason `url` cannot be pushed to, or undefined when it is fine. */
export function ociUrlProblem(url: string): string | undefined {
  if (!url.startsWith('oci://')) return `--push ${url}: must be an OCI repository URL such as oci://ghcr.io/acme/charts (helm push only pushes to OCI registries)`;
  if (url.includes('@')) return `--push ${url}: put no credentials in the URL; log in with \`helm registry login\` first`;
  if (!OCI_URL.test(url)) return `--push ${url}: must be oci://<host>[:<port>]/<path> with a lower-case path (letters, digits, ".", "_", "-", "/")`;
  return undefined;
}

/** Options of {@link pushChart}. */
export interface PushOptions {
  /** Talk plain HTTP to the registry (a local one); helm's `--plain-http`. @default false */
  readonly plainHttp?: boolean;
  /** The helm binary. @default {@link helmBinary} */
  readonly helm?: string;
}

/**
 * Pushes the chart archive `<name>-<version>.tgz` to `url` and returns the pushed reference
 * (`<url>/<name>:<version>`). Throws with helm's message when helm fails.
 */
export function pushChart(archive: string, url: string, opts: PushOptions = {}): string {
  const helm = opts.helm ?? helmBinary();
  const repo = url.replace(/\/$/, '');
  try {
    execFileSync(helm, ['push', archive, repo, ...(opts.plainHttp ? ['--plain-http'] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: string; message: string; code?: string };
    if (err.code === 'ENOENT' || err.code === 'EACCES') throw new ToolMissingError(helmMissingMessage(helm, err.code));
    throw new Error(`helm push ${basename(archive)} ${repo} failed: ${(err.stderr || err.message).trim()}`);
  }
  const m = /^(.+)-([0-9]+\.[0-9]+\.[0-9]+[^/]*)\.tgz$/.exec(basename(archive));
  return m ? `${repo}/${m[1]}:${m[2]}` : repo;
}
