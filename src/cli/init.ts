import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { CDK8S_YAML, GITIGNORE, MAIN_JS, packageJson, specYaml } from './init-templates';
import { INIT_KINDS, KINDS_WITH_PORTS, type InitKind } from './init-kinds';
import { display } from './inputs';
import { EXIT, UsageError, out, palette } from './output';
import { slipwayDependency } from './init-dependency';
import { PACKAGE_ROOT, shippedDoc } from './package-root';

/** Options of `slipway init`. */
export interface InitOptions {
  readonly service?: string;
  readonly image?: string;
  readonly port?: number;
  readonly preset?: string;
  /** web (Deployment with an HTTP port), worker (Deployment without ports) or cronjob. @default "web" */
  readonly kind?: string;
  /** npm dependency spec for slipway in the new package.json. @default file:vendor/slipway-<version>.tgz (packed from the running Slipway) */
  readonly slipway?: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PRESETS = ['go', 'python', 'node', 'static'];

/**
 * `slipway init [dir]`: scaffolds a GitOps repository (package.json with synth/validate/diff
 * scripts, cdk8s.yaml running plain JS, main.js, services/<name>.yaml, .gitignore); in an existing
 * project (package.json or cdk8s.yaml present), `--service <name>` adds a service spec. Never
 * overwrites a file.
 */
export async function initCommand(dir: string | undefined, opts: InitOptions): Promise<number> {
  const root = resolve(dir ?? '.');
  const existing = ['package.json', 'cdk8s.yaml'].filter((f) => existsSync(join(root, f)));
  if (existing.length && !opts.service) {
    throw new UsageError(`${display(root)} is already a project (${existing.join(', ')} found): add a service with --service <name>`);
  }
  const name = opts.service ?? dnsLabel(basename(root));
  if (!DNS_LABEL.test(name) || name.length > 40) throw new UsageError(`--service ${name}: a service name is a DNS label (a-z, 0-9, -) of at most 40 characters`);
  if (opts.preset && !PRESETS.includes(opts.preset)) throw new UsageError(`--preset ${opts.preset}: must be one of ${PRESETS.join(', ')}`);
  const kind = (opts.kind ?? 'web') as InitKind;
  if (!INIT_KINDS.includes(kind)) throw new UsageError(`--kind ${opts.kind}: must be one of ${INIT_KINDS.join(', ')}`);
  if (opts.port !== undefined && !KINDS_WITH_PORTS.includes(kind)) throw new UsageError(`--port applies only to --kind ${KINDS_WITH_PORTS.join(' or ')}: a ${kind} has no ports (nothing connects to it)`);
  const port = opts.port ?? 8080;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--port ${opts.port}: must be a port number (1-65535)`);
  const spec = join('services', `${name}.yaml`);
  if (existsSync(join(root, spec))) throw new UsageError(`${display(join(root, spec))} already exists: not overwritten (choose another --service name)`);

  const image = opts.image === undefined ? { repository: `example/${name}`, registry: 'ghcr.io', tag: PLACEHOLDER_TAG } : parseImage(opts.image);
  if (!image.tag) throw new UsageError(`--image ${opts.image}: give the tag that runs, e.g. ${opts.image}:1.2.3 (Slipway does not guess one)`);
  const files: [string, string | Buffer][] = [[spec, specYaml({ name, port, kind, preset: opts.preset, placeholder: opts.image === undefined, ...image })]];
  if (!existing.length) {
    const dep = slipwayDependency(opts.slipway);
    if (dep.vendored) files.push([dep.vendored.path, dep.vendored.bytes]);
    files.unshift(
      ['package.json', packageJson(dnsLabel(basename(root)), { slipway: dep.spec, cdk8sCli: cdk8sCliVersion() })],
      ['cdk8s.yaml', CDK8S_YAML],
      ['main.js', MAIN_JS],
      ['.gitignore', GITIGNORE],
    );
  }
  const p = palette(process.stdout);
  const lines: string[] = [];
  for (const [rel, content] of files) {
    const full = join(root, rel);
    if (existsSync(full)) {
      lines.push(`${p.yellow('kept')}    ${display(full)} (exists)`);
      continue;
    }
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content, { flag: 'wx' }); // wx: fails rather than overwrite, even in a race
    lines.push(`${p.green('created')} ${display(full)}`);
  }
  const cd = root === process.cwd() ? '' : `cd ${display(root)} && `;
  lines.push('', existing.length
    ? `Render it with: slipway synth services -o dist   (or add it to your own app: see ${shippedDoc('library.md')})`
    : `Next: ${cd}npm install && npm run validate && npm run synth   (or: npx cdk8s synth)`);
  out(lines.join('\n'));
  return EXIT.OK;
}

/** A DNS label from a directory name (`My App` -> `my-app`), or `app`. */
export function dnsLabel(s: string): string {
  const label = s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return label || 'app';
}

/** `[registry/]repository[:tag]`: the first segment is a registry when it has a `.` or `:`, or is `localhost`. */
export function parseImage(ref: string): { registry?: string; repository: string; tag?: string } {
  const at = ref.lastIndexOf(':');
  const slash = ref.lastIndexOf('/');
  const tag = at > slash ? ref.slice(at + 1) : undefined;
  const path = at > slash ? ref.slice(0, at) : ref;
  const [first, ...rest] = path.split('/');
  const isRegistry = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const repository = isRegistry ? rest.join('/') : path;
  if (!repository || !/^[a-z0-9]+([._/-][a-z0-9]+)*$/.test(repository)) throw new UsageError(`--image ${ref}: not an image reference ([registry/]repository[:tag])`);
  // Docker's tag rule; it also keeps line breaks, quotes and spaces out of the spec init writes.
  if (tag !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) throw new UsageError(`--image ${JSON.stringify(ref)}: the tag must be letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-")`);
  return { registry: isRegistry ? first : undefined, repository, tag };
}

/** The tag of the placeholder image written when init is given no --image (visible in the spec, with a comment). */
export const PLACEHOLDER_TAG = '0.1.0';

/** The cdk8s CLI version written into a new package.json: the one this Slipway is tested with. */
function cdk8sCliVersion(): string {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  return pkg.devDependencies?.['cdk8s-cli'] ?? 'latest';
}
