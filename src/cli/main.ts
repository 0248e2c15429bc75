#!/usr/bin/env node
/**
 * The `slipway` command line. Only commander and the output helpers load up front; each command
 * loads its own modules (and the renderers) when it runs, so `--help` and usage errors are instant.
 */
import { delegated } from './prefer-bundle';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT, UsageError, err, palette } from './output';
import { INIT_KINDS } from './init-kinds';

const EXIT_HELP = `
Exit codes:
  0  success (validate: no errors; diff: no changes)
  1  findings: validate found errors (or warnings with --strict); diff found changes
  2  usage or input error: bad arguments, unreadable or invalid spec files; an output directory
     Slipway may not replace, or one another run is writing; disk full, read-only file system,
     permission denied (nothing is written)
  3  unexpected failure (a bug, or helm failing under --package)

Environment:
  NO_COLOR      no colour (colour is only used on terminals anyway)
  CDK8S_OUTDIR  default for -o (set by \`cdk8s synth\`)
  SLIPWAY_JOBS  threads for large fleets (default: automatic)
  SLIPWAY_INPUT_ROOT  default for --input-root
  SLIPWAY_FORCE_REPLACE=1  same as synth --force-replace

Docs: docs/cli.md (shipped in the slipway package: node_modules/slipway/docs/)`;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a port number (1-65535)');
  return n;
}

const recursiveOption = () => new Option('-r, --recursive', 'also read the spec files in subdirectories of the directories given (hidden ones and node_modules skipped)');
const inputRootOption = () => new Option('--input-root <dir>', 'directory every file a spec names (config.filesFrom) must be inside, and the spec files too (default: $SLIPWAY_INPUT_ROOT, else each spec file\'s own directory)');
const jobsOption = () => new Option('-j, --jobs <n>', 'threads to render with (default: from 150 spec files, one per idle CPU, up to 4)').argParser(positiveInt);

/** Builds the program; `result.code` receives the command's exit code. */
function program(result: { code: number }): Command {
  const set = (p: Promise<number>) => p.then((code) => { result.code = code; });
  const cmd = new Command('slipway')
    .description('One declaration of a service -> Kubernetes manifests, a Helm chart whose default render equals them, and an image definition.')
    .version(readVersion(), '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .addHelpText('after', EXIT_HELP)
    .configureOutput({ outputError: (s, write) => write(palette(process.stderr).red(s)) })
    .exitOverride();

  cmd.command('init')
    .description('scaffold a GitOps repository, or add a service spec to an existing one (never overwrites a file)')
    .argument('[dir]', 'project directory', '.')
    .option('-s, --service <name>', 'service name (default: the directory name); required in an existing project')
    .option('--image <ref>', 'container image, [registry/]repository[:tag] (default: ghcr.io/example/<name>)')
    .addOption(new Option('--kind <kind>', 'what the service is: web (HTTP Deployment), worker (Deployment without ports), cronjob (scheduled runs) or statefulset (replicas with a volume each)').choices([...INIT_KINDS]).default('web'))
    .addOption(new Option('--port <n>', 'container port named "http" (--kind web or statefulset; default 8080)').argParser(port))
    .addOption(new Option('--preset <preset>', 'image build preset: also write an image definition').choices(['go', 'python', 'node', 'static']))
    .option('--slipway <spec>', 'npm dependency spec for slipway in the new package.json (default: this Slipway packed into vendor/slipway-<version>.tgz)')
    .addHelpText('after', '\nExamples:\n  slipway init gitops && cd gitops && npm install\n  slipway init --service billing --image ghcr.io/acme/billing:1.4.2 --preset go\n  slipway init --service nightly-report --kind cronjob')
    .action((dir: string, o) => set(import('./init').then((m) => m.initCommand(dir, o))));

  cmd.command('synth')
    .description('write manifests, Helm chart and image definition of each service to an output directory (atomically)')
    .argument('<specs...>', 'spec files, or directories of *.yaml / *.yml specs')
    .addOption(recursiveOption())
    .option('-o, --output <outdir>', 'output directory, changed only when everything succeeded; must be new, empty, or written by Slipway (default: $CDK8S_OUTDIR)')
    .option('--stdout', 'print the manifests as one YAML stream (for Argo CD plugins); writes files only with -o')
    .option('--package', 'also `helm package` each chart (archive next to the chart); renders every service')
    .option('--force', 'render every service, even those whose input and files did not change since the last synth into <outdir>')
    .addOption(inputRootOption())
    .option('--force-replace', 'replace <outdir> even if it is not empty and Slipway did not write it (its files are deleted); never the specs, the working or home directory, or a git repository')
    .addOption(jobsOption())
    .option('-q, --quiet', 'no progress line (there is one only when stderr is a terminal)')
    .option('--push <oci-url>', 'with --package: `helm push` each chart archive to this OCI repository (oci://host/path; log in with `helm registry login` first)')
    .option('--plain-http', 'with --push: plain HTTP to the registry (a local one)')
    .addHelpText('after', '\nExamples:\n  slipway synth services -o dist\n  slipway synth services/api.yaml --stdout | kubectl apply --dry-run=server -f -')
    .action((specs: string[], o) => set(import('./synth').then((m) => m.synthCommand(specs, o))));

  cmd.command('validate')
    .description('check specs: schema and semantic errors (exit 1), policy warnings (exit 1 with --strict)')
    .argument('<specs...>', 'spec files, or directories of *.yaml / *.yml specs')
    .addOption(recursiveOption())
    .option('--strict', 'fail on policy warnings too')
    .option('--json', 'print the findings as JSON on stdout')
    .addOption(inputRootOption())
    .action((specs: string[], o) => set(import('./validate').then((m) => m.validateCommand(specs, o))));

  cmd.command('diff')
    .description('show what `synth` would change in the output directory (exit 0: nothing, 1: changes)')
    .argument('<specs...>', 'spec files, or directories of *.yaml / *.yml specs')
    .addOption(recursiveOption())
    .option('-o, --output <outdir>', 'output directory to compare with (default: $CDK8S_OUTDIR)')
    .option('--name-only', 'list changed files without their diffs')
    .addOption(inputRootOption())
    .addOption(jobsOption())
    .action((specs: string[], o) => set(import('./diff').then((m) => m.diffCommand(specs, o))));

  cmd.command('serve')
    .description('warm renderer: answer `synth --stdout` requests on a Unix socket (the Argo CD plugin sidecar; client: slipway-warm)')
    .requiredOption('--socket <path>', 'socket file to create (mode 0600) in an existing directory')
    .option('--workers <n>', 'render worker processes, requests rendered in parallel (default: $SLIPWAY_SERVE_WORKERS, else the number of CPUs, at most 4)')
    .option('--max-queue <n>', 'requests that may wait for a busy worker; one more gets a "busy" error (default: $SLIPWAY_SERVE_MAX_QUEUE, else 64)')
    .option('--request-timeout <seconds>', 'longest one render may run, then its worker is stopped and the request fails; 0: no limit (default: $SLIPWAY_SERVE_TIMEOUT, else 30)')
    .option('--worker-memory <MiB>', "JavaScript heap one render worker may use, then the request fails; 0: Node.js's default (default: $SLIPWAY_SERVE_WORKER_MEMORY, else 128)")
    .addHelpText('after', '\nExample:\n  slipway serve --socket /tmp/slipway/warm.sock &\n  SLIPWAY_SOCKET=/tmp/slipway/warm.sock slipway-warm synth --stdout web.yaml\nDocs: docs/image.md ("The warm renderer")')
    .action((o) => set(import('./serve').then((m) => m.serveCommand(o))));
  return cmd;
}

/** Runs the CLI on `args` (without `node` and the script) and returns the exit code; never exits the process. */
export async function run(args: readonly string[]): Promise<number> {
  const result = { code: EXIT.OK as number };
  try {
    await program(result).parseAsync([...args], { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; every parse error (unknown option, missing argument, ...) is a usage error.
      return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    const p = palette(process.stderr);
    // A refused output directory, a concurrent run, a full disk, a read-only file system: exit 2, in plain words.
    const plain = e instanceof UsageError ? e : (require('../outdir/errors') as typeof import('../outdir/errors')).asOutputError(e);
    if (plain) {
      err(`${p.red('error:')} ${plain.message}`);
      return EXIT.USAGE;
    }
    err(`${p.red('internal error:')} ${process.env.SLIPWAY_DEBUG ? (e as Error).stack : (e as Error).message ?? e}`);
    if (!process.env.SLIPWAY_DEBUG) err('(set SLIPWAY_DEBUG=1 for a stack trace)');
    return EXIT.INTERNAL;
  }
}

function readVersion(): string {
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  const { join } = require('node:path') as typeof import('node:path');
  return (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
}

if (require.main === module && !delegated) {
  // exitCode, not exit(): a large --stdout stream must drain before the process ends.
  run(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
