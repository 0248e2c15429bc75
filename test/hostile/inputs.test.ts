/**
 * Hostile inputs, class "inputs read from anywhere" and "robustness": every file a spec names is
 * read only when its real path is inside the input root, it is a regular file and under the size
 * limit; spec files are size-, nesting- and alias-limited; nothing that is not a spec is echoed.
 * Each case runs the real CLI (`node lib/cli/main.js synth|validate`, built by `npm test`'s tsc)
 * in a fresh project and checks the exit code, a located message, that nothing was written and
 * that no secret (an environment canary, a secret file outside the root) shows up anywhere.
 *
 * The seeded generator at the end builds random path escapes (SLIPWAY_FUZZ_CASES cases, default
 * 40; seed SLIPWAY_FUZZ_SEED).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../support/examples';
import { loadSpecFileWith, loadSpecText } from '../../src/spec/load';
import { SpecError } from '../../src/spec/errors';
import { LIMITS } from '../../src/spec/limits';
import { rng } from '../support/random-spec';

const CLI = join(ROOT, 'lib', 'cli', 'main.js');
const SEED = Number(process.env.SLIPWAY_FUZZ_SEED ?? 20261205);
const FUZZ_CASES = Number(process.env.SLIPWAY_FUZZ_CASES ?? 40);
/** Secrets a hostile spec tries to read: one in the environment, one in a file outside the root. */
const ENV_CANARY = `env-canary-${SEED.toString(36)}-7f3a`;
const FILE_CANARY = `file-canary-${SEED.toString(36)}-91c2`;

const temps: string[] = [];
afterAll(() => { for (const t of temps) rmSync(t, { recursive: true, force: true }); });
function temp(tag: string): string {
  const d = mkdtempSync(join(tmpdir(), `slipway-hostile-${tag}-`));
  temps.push(d);
  return d;
}

/** A valid service whose config reads `path` (as a YAML double-quoted string) under the key `app`. */
function specReading(path: string): string {
  return `name: web\nversion: "1.0.0"\nimage: { repository: acme/web }\nconfig:\n  filesFrom:\n    app: ${JSON.stringify(path)}\n`;
}
const BASE = 'name: web\nversion: "1.0.0"\nimage: { repository: acme/web }\n';

/**
 * A project: `<dir>/specs/` (the default root: the spec's directory) with `app.conf` and
 * `sub/inner.conf`, `<dir>/shared/x.conf` (inside `<dir>`, outside `specs/`), and a secret file in
 * another directory, outside every root.
 */
interface Project {
  readonly dir: string;
  readonly specs: string;
  readonly secretDir: string;
  readonly secret: string;
}
function project(): Project {
  const dir = temp('proj');
  const specs = join(dir, 'specs');
  mkdirSync(join(specs, 'sub'), { recursive: true });
  mkdirSync(join(dir, 'shared'));
  writeFileSync(join(specs, 'app.conf'), 'inside=ok\n');
  writeFileSync(join(specs, 'sub', 'inner.conf'), 'inner=ok\n');
  writeFileSync(join(dir, 'shared', 'x.conf'), 'shared=ok\n');
  const secretDir = temp('secret');
  const secret = join(secretDir, 'secret.txt');
  writeFileSync(secret, `TOKEN=${FILE_CANARY}\nname: ${FILE_CANARY}\n`);
  return { dir, specs, secretDir, secret };
}

/** Runs the CLI in `cwd` (asynchronously: the test runner stays responsive); returns exit status and all output. */
function cli(cwd: string, args: string[]): Promise<{ status: number | null; signal: NodeJS.Signals | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [CLI, ...args], { cwd, timeout: 30_000, env: { ...process.env, SLIPWAY_INPUT_ROOT: '', NO_COLOR: '1', SLIPWAY_CANARY: ENV_CANARY } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, out }));
  });
}

/** Every file under a directory, with content (for the canary check on what was written). */
function allText(dir: string): string {
  if (!existsSync(dir)) return '';
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => readFileSync(join(d.parentPath ?? (d as any).path, d.name), 'utf8'))
    .join('\n');
}

/** One hostile case: builds its files in a project, says which spec to run and what must happen. */
interface Case {
  readonly what: string;
  /** Writes the case's files; returns the spec argument (relative to the project dir) and extra CLI args. */
  readonly setup: (p: Project) => { spec: string; args?: string[] };
  /** Refused with this located message (file:line:col: field: ...), or accepted. */
  readonly refused?: RegExp;
  /** For accepted cases: the ConfigMap data `app` must be this. */
  readonly content?: string;
}

/** The spec file (`specs/svc.yaml`) of a case. */
function writeSpec(p: Project, text: string | Buffer): { spec: string } {
  writeFileSync(join(p.specs, 'svc.yaml'), text);
  return { spec: 'specs/svc.yaml' };
}
const reading = (path: string | ((p: Project) => string), args: string[] = []) => (p: Project) => ({
  ...writeSpec(p, specReading(typeof path === 'string' ? path : path(p))),
  args,
});
/** A located refusal of the `filesFrom` entry (line 6 of specReading). */
const at = (words: string) => new RegExp(`specs/svc\\.yaml:6:\\d+: config\\.filesFrom\\.app: .*${words}`);
/** A refusal of the spec file as a whole (no line: its content is not shown or not read). */
const whole = (words: string) => new RegExp(`specs/svc\\.yaml: .*${words}`);

const FIFO_OK = (() => { try { execFileSync('mkfifo', ['--help'], { stdio: 'ignore' }); return true; } catch { return false; } })();
function fifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

const MiB = 1024 * 1024;

const CASES: Case[] = [
  // Paths that leave the root.
  { what: 'an absolute path to a secret outside', setup: reading((p) => p.secret), refused: at('is an absolute path') },
  { what: 'an absolute path even inside the root', setup: reading((p) => join(p.specs, 'app.conf')), refused: at('is an absolute path') },
  { what: 'a ../ escape', setup: reading((p) => `../../${p.secretDir.split('/').pop()}/secret.txt`), refused: at('outside the spec file\'s directory') },
  { what: 'a ./../ escape', setup: reading('./../shared/x.conf'), refused: at('outside the spec file\'s directory') },
  { what: 'a sub/../../ escape', setup: reading('sub/../../shared/x.conf'), refused: at('outside the spec file\'s directory') },
  { what: 'many ../ to /etc/passwd', setup: reading('../../../../../../../../../../etc/passwd'), refused: at('outside the spec file\'s directory') },
  { what: 'a symlink inside the root to a secret outside', setup: (p) => { symlinkSync(p.secret, join(p.specs, 'link.conf')); return reading('link.conf')(p); }, refused: at('resolves through a symlink to a file outside') },
  { what: 'a symlinked directory leading outside', setup: (p) => { symlinkSync(p.secretDir, join(p.specs, 'linkdir')); return reading('linkdir/secret.txt')(p); }, refused: at('through a symlink to a file outside') },
  { what: 'a chain of symlinks leading outside', setup: (p) => { symlinkSync(p.secret, join(p.specs, 'b')); symlinkSync('b', join(p.specs, 'a')); return reading('a')(p); }, refused: at('through a symlink to a file outside') },
  { what: 'a symlink with a relative target leading outside', setup: (p) => { symlinkSync('../shared/x.conf', join(p.specs, 'rel.conf')); return reading('rel.conf')(p); }, refused: at('through a symlink') },
  { what: 'a symlink loop', setup: (p) => { symlinkSync('loop2', join(p.specs, 'loop1')); symlinkSync('loop1', join(p.specs, 'loop2')); return reading('loop1')(p); }, refused: at('symlink that loops') },
  // Pseudo files and special files.
  { what: '/proc/self/environ', setup: reading('/proc/self/environ'), refused: at('is an absolute path') },
  { what: '/proc/self/environ through ../', setup: reading('../../../../../../../../../../proc/self/environ'), refused: at('outside') },
  { what: 'a symlink to /proc/self/environ', setup: (p) => { symlinkSync('/proc/self/environ', join(p.specs, 'env.conf')); return reading('env.conf')(p); }, refused: at('outside') },
  { what: '/proc/self/environ with --input-root /', setup: (p) => { symlinkSync('/proc/self/environ', join(p.specs, 'env.conf')); return reading('env.conf', ['--input-root', '/'])(p); }, refused: at('special file under /proc') },
  { what: '/dev/zero', setup: reading('/dev/zero'), refused: at('is an absolute path') },
  { what: 'a symlink to /dev/zero', setup: (p) => { symlinkSync('/dev/zero', join(p.specs, 'zero.conf')); return reading('zero.conf')(p); }, refused: at('outside') },
  { what: '/dev/zero with --input-root /', setup: (p) => { symlinkSync('/dev/zero', join(p.specs, 'zero.conf')); return reading('zero.conf', ['--input-root', '/'])(p); }, refused: at('special file under /dev') },
  { what: 'a FIFO (no hang)', setup: (p) => { fifo(join(p.specs, 'pipe.conf')); return reading('pipe.conf')(p); }, refused: at('not a regular file') },
  { what: 'a directory', setup: reading('sub'), refused: at('is a directory') },
  { what: 'a missing file', setup: reading('nope.conf'), refused: at('does not exist') },
  { what: 'an empty path', setup: reading(''), refused: /specs\/svc\.yaml:6:\d+: config\.filesFrom\.app: is empty/ },
  { what: 'a path with a NUL character', setup: reading('app.conf\u0000.txt'), refused: at('contains a NUL character') },
  { what: 'a file over the 1 MiB limit', setup: (p) => { writeFileSync(join(p.specs, 'big.conf'), Buffer.alloc(MiB + 1, 'a')); return reading('big.conf')(p); }, refused: at('over the 1 MiB limit for a config file') },
  { what: 'a config file that is not UTF-8', setup: (p) => { writeFileSync(join(p.specs, 'bin.conf'), Buffer.from([0x61, 0x0a, 0xff, 0xfe, 0x00])); return reading('bin.conf')(p); }, refused: at('is not UTF-8 text \\(byte 3, line 2') },
  // What is allowed.
  { what: 'a file inside the root', setup: reading('app.conf'), content: 'inside=ok\n' },
  { what: 'a file in a subdirectory', setup: reading('sub/inner.conf'), content: 'inner=ok\n' },
  { what: 'a symlink inside the root to a file inside the root', setup: (p) => { symlinkSync('sub/inner.conf', join(p.specs, 'ok.conf')); return reading('ok.conf')(p); }, content: 'inner=ok\n' },
  { what: 'a file exactly at the 1 MiB limit', setup: (p) => { writeFileSync(join(p.specs, 'max.conf'), Buffer.alloc(MiB, 'b')); return reading('max.conf')(p); }, content: 'b'.repeat(MiB) },
  { what: 'a wider root named with --input-root', setup: reading('../shared/x.conf', ['--input-root', '.']), content: 'shared=ok\n' },
  { what: '--input-root . still confines', setup: (p) => reading(`../../${p.secretDir.split('/').pop()}/secret.txt`, ['--input-root', '.'])(p), refused: at('outside the input root \\.') },
  // The spec file itself.
  { what: 'a spec outside --input-root', setup: (p) => { writeSpec(p, BASE); return { spec: 'specs/svc.yaml', args: ['--input-root', 'shared'] }; }, refused: whole('spec file resolves to a file outside the input root shared') },
  { what: 'a spec symlink to /etc/passwd: no content echoed', setup: (p) => { symlinkSync('/etc/passwd', join(p.specs, 'svc.yaml')); return { spec: 'specs/svc.yaml' }; }, refused: whole('does not look like a Slipway spec') },
  { what: 'a spec symlink to a secret file: no content echoed', setup: (p) => { symlinkSync(p.secret, join(p.specs, 'svc.yaml')); return { spec: 'specs/svc.yaml' }; }, refused: /specs\/svc\.yaml/ },
  { what: 'a .env file named like a spec', setup: (p) => writeSpec(p, `SECRET_TOKEN=${FILE_CANARY}\nDB_PASSWORD=${FILE_CANARY}\n`), refused: whole('does not look like a Slipway spec') },
  { what: 'a compose file named like a spec', setup: (p) => writeSpec(p, `version: "3"\nservices:\n  db:\n    environment: { POSTGRES_PASSWORD: ${FILE_CANARY} }\n`), refused: whole('does not look like a Slipway spec') },
  { what: 'a Kubernetes Secret manifest named like a spec', setup: (p) => writeSpec(p, `apiVersion: v1\nkind: Secret\nmetadata: { name: db }\nstringData: { password: ${FILE_CANARY} }\n`), refused: whole('does not look like a Slipway spec') },
  { what: 'a broken spec is still reported in full (it looks like one)', setup: (p) => writeSpec(p, 'name: web\nversion: "1"\nreplicas: three\n'), refused: /specs\/svc\.yaml:3:11: replicas: must be integer \(got "three"\)/ },
  { what: 'a spec symlink to /proc/self/environ', setup: (p) => { symlinkSync('/proc/self/environ', join(p.specs, 'svc.yaml')); return { spec: 'specs/svc.yaml' }; }, refused: whole('special file under /proc') },
  { what: 'a spec symlink to /dev/zero', setup: (p) => { symlinkSync('/dev/zero', join(p.specs, 'svc.yaml')); return { spec: 'specs/svc.yaml' }; }, refused: whole('special file under /dev') },
  { what: 'a spec that is a FIFO (no hang)', setup: (p) => { fifo(join(p.specs, 'svc.yaml')); return { spec: 'specs/svc.yaml' }; }, refused: whole('not a regular file') },
  { what: 'a 50 MB spec (no stack overflow)', setup: (p) => writeSpec(p, `${BASE}labels:\n  x: ${'['.repeat(25 * MiB)}${']'.repeat(25 * MiB)}\n`), refused: whole('over the 4 MiB limit for a spec file') },
  { what: 'a spec one byte over 4 MiB', setup: (p) => writeSpec(p, `${BASE}description: "${'d'.repeat(4 * MiB - BASE.length - 15)}"\n`), refused: whole('is 4.0 MiB, over the 4 MiB limit') },
  { what: 'a spec exactly at 4 MiB', setup: (p) => writeSpec(p, `${BASE}description: "${'d'.repeat(4 * MiB - BASE.length - 16)}"\n`) },
  { what: 'flow lists nested 100 deep', setup: (p) => writeSpec(p, `${BASE}labels:\n  x: ${'['.repeat(100)}${']'.repeat(100)}\n`), refused: /specs\/svc\.yaml:5:\d+: maps and lists nest deeper than 64 levels/ },
  { what: 'a 1 MB spec nested 500000 deep', setup: (p) => writeSpec(p, `${BASE}labels:\n  x: ${'{a: '.repeat(125_000)}1${'}'.repeat(125_000)}\n`), refused: /specs\/svc\.yaml:5:\d+: maps and lists nest deeper than 64 levels/ },
  { what: 'block maps nested 100 deep', setup: (p) => writeSpec(p, `${BASE}labels:\n${Array.from({ length: 100 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} v\n`), refused: /specs\/svc\.yaml:\d+:\d+: maps and lists nest deeper than 64 levels/ },
  { what: 'compact block lists nested 100 deep', setup: (p) => writeSpec(p, `${BASE}labels:\n  x:\n${'  - '.slice(0, 2)}${'- '.repeat(100)}x\n`), refused: /specs\/svc\.yaml:\d+:\d+: maps and lists nest deeper than 64 levels/ },
  { what: 'nesting through aliases past the limit', setup: (p) => writeSpec(p, `${BASE}x0: &a0 ${'['.repeat(40)}${']'.repeat(40)}\nx1: &a1 ${'['.repeat(30)}*a0${']'.repeat(30)}\n`), refused: /specs\/svc\.yaml:5:\d+: YAML aliases: nest maps and lists here deeper than 64 levels/ },
  { what: 'more than 1000 aliases', setup: (p) => writeSpec(p, `${BASE}labels: { a: &v x }\npodLabels:\n${Array.from({ length: 1001 }, (_, i) => `  k${i}: *v`).join('\n')}\n`), refused: /specs\/svc\.yaml:1006:\d+: YAML aliases: more than 1000 in one spec file/ },
  { what: 'a billion laughs', setup: (p) => writeSpec(p, `${BASE}${Array.from({ length: 9 }, (_, i) => (i ? `l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(',')}]` : 'l0: &l0 [lol,lol,lol,lol,lol,lol,lol,lol,lol]')).join('\n')}\n`), refused: /specs\/svc\.yaml:\d+:\d+: YAML aliases: expand this spec beyond 4 MiB/ },
  { what: 'an alias without an anchor', setup: (p) => writeSpec(p, `${BASE}replicas: *two\n`), refused: /specs\/svc\.yaml:4:11: YAML alias \*two has no anchor before it/ },
  { what: 'a NUL byte in the spec', setup: (p) => writeSpec(p, `${BASE}description: "a\u0000b"\n`), refused: /specs\/svc\.yaml:4:16: holds the control character U\+0000/ },
  { what: 'an escape character in the spec', setup: (p) => writeSpec(p, `${BASE}description: a\u001b[31mb\n`), refused: /specs\/svc\.yaml:4:15: holds the control character U\+001B/ },
  { what: 'invalid UTF-8 in the spec', setup: (p) => writeSpec(p, Buffer.concat([Buffer.from(`${BASE}description: `), Buffer.from([0xc3, 0x28]), Buffer.from('\n')])), refused: /specs\/svc\.yaml:4:1: spec file is not UTF-8 text \(byte \d+, line 4/ },
  { what: 'a duplicate key', setup: (p) => writeSpec(p, `${BASE}replicas: 1\nreplicas: 2\n`), refused: /specs\/svc\.yaml:5:1: YAML syntax: Map keys must be unique/ },
];

describe('hostile inputs: confined files, limits, nothing echoed (real CLI)', () => {
  it('has a corpus of at least 35 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(35);
  });

  for (const [i, c] of CASES.entries()) {
    const needsFifo = /FIFO/.test(c.what);
    // Alternate between synth and validate so both commands see every kind of case.
    const command = i % 2 ? 'validate' : 'synth';
    it.skipIf(needsFifo && !FIFO_OK)(`${c.what} (${command})`, async () => {
      const p = project();
      const { spec, args = [] } = c.setup(p);
      const r = await (command === 'synth' ? cli(p.dir, ['synth', spec, '-o', 'out', ...args]) : cli(p.dir, ['validate', spec, ...args]));
      expect(r.signal, r.out).toBeNull();
      const written = allText(join(p.dir, 'out'));
      for (const canary of [ENV_CANARY, FILE_CANARY]) {
        expect(r.out).not.toContain(canary);
        expect(written).not.toContain(canary);
      }
      expect(r.out).not.toMatch(/internal error|Maximum call stack|root:x:0:0/);
      if (c.refused) {
        expect(r.status, r.out).toBe(command === 'synth' ? 2 : 1);
        expect(r.out).toMatch(c.refused);
        expect(existsSync(join(p.dir, 'out'))).toBe(false);
        expect(readdirSync(p.dir).filter((f) => f.includes('slipway-'))).toEqual([]);
      } else {
        expect(r.status, r.out).toBe(0);
        if (command === 'synth' && c.content !== undefined) {
          const manifests = readFileSync(join(p.dir, 'out', 'web', 'manifests', 'web.k8s.yaml'), 'utf8');
          const cm = manifests.split(/^---$/m).map((d) => parseYaml(d)).find((o) => o?.kind === 'ConfigMap');
          expect(cm.data.app).toBe(c.content);
        }
      }
    });
  }

  it('the Argo CD plugin passes --input-root .: a spec cannot read outside the application directory', () => {
    const p = project();
    const app = join(p.dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'svc.yaml'), `apiVersion: slipway.dev/v1alpha1\n${specReading('../shared/x.conf')}`);
    const plugin = parseYaml(readFileSync(join(ROOT, 'argocd', 'plugin.yaml'), 'utf8'));
    const bin = temp('bin');
    writeFileSync(join(bin, 'slipway'), `#!/bin/sh\nexec node ${JSON.stringify(CLI)} "$@"\n`, { mode: 0o755 });
    const [sh, ...rest] = [...plugin.spec.generate.command, ...plugin.spec.generate.args];
    const r = spawnSync(sh, rest, { cwd: app, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/svc\.yaml:7:\d+: config\.filesFrom\.app: "\.\.\/shared\/x\.conf" resolves to a file outside the input root \./);
    expect(r.stdout).toBe('');
  });
});

describe('aliases cost linear time', () => {
  /** A valid spec of about `n` labels, each value an alias of one anchor or written out. */
  function spec(n: number, aliased: boolean): string {
    const values = Array.from({ length: n }, (_, i) => `  k${i}: ${aliased ? '*v' : 'vvvvvvv'}`);
    return `${BASE}labels:\n  anchor: &v vvvvvvv\n${values.join('\n')}\n`;
  }
  const time = (text: string) => {
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) {
      try { loadSpecText(text, 'svc.yaml'); } catch (e) { if (!(e instanceof SpecError)) throw e; }
    }
    return performance.now() - t0;
  };

  it('1000 aliases (the limit) load, in time comparable to the same spec written out', () => {
    const [svc] = loadSpecText(spec(LIMITS.aliases, true), 'svc.yaml');
    expect(svc.spec.labels?.k999).toBe('vvvvvvv');
    time(spec(LIMITS.aliases, false)); // warm up
    const ratio = time(spec(LIMITS.aliases, true)) / time(spec(LIMITS.aliases, false));
    // The written-out spec takes the fast reader; the aliased one the `yaml` library (~7x slower) and the alias pass.
    expect(ratio).toBeLessThan(25);
  });

  it('5000 aliases are refused in time comparable to reading the same spec written out', () => {
    expect(() => loadSpecText(spec(5000, true), 'svc.yaml')).toThrow(/YAML aliases: more than 1000/);
    // A no-alias spec of the same size that the `yaml` library reads too (a duplicate key sends it there).
    const plain = `${spec(5000, false)}labels: {}\n`;
    time(plain);
    const ratio = time(spec(5000, true)) / time(plain);
    expect(ratio).toBeLessThan(4);
  });
});

describe('duplicate keys cost linear time', () => {
  it('a map of 40000 keys read by the `yaml` library (an anchor sends it there) takes time comparable to the fast reader', () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `  k${i}: v`).join('\n');
    const fast = `${BASE}labels:\n${keys}\n`;
    const slow = `${BASE}labels:\n${keys}\npodLabels: { a: &x v, b: *x }\n`;
    const time = (text: string) => {
      const t0 = performance.now();
      try { loadSpecText(text, 'svc.yaml'); } catch (e) { if (!(e instanceof SpecError)) throw e; }
      return performance.now() - t0;
    };
    time(fast);
    time(slow);
    // `uniqueKeys: true` compared each key with every earlier one: 8e8 comparisons here.
    expect(time(slow) / time(fast)).toBeLessThan(25);
  });
});

describe(`random path escapes (seed ${SEED}, ${FUZZ_CASES} cases)`, () => {
  const SEGMENTS = ['..', '.', '', 'sub', 'app.conf', 'inner.conf', 'out-link', 'in-link', 'dir-link', 'secret.txt', 'proc', 'self', 'environ', 'dev', 'zero', '...', '..%2f', '..\\', ' ', '~', 'shared', 'x.conf', 'loop'];

  /** What must happen, by Node's own path functions: the file's text when it is a regular file inside the root, else undefined. */
  function oracle(specs: string, path: string): string | undefined {
    if (path === '' || path.startsWith('/') || path.includes('\0')) return undefined;
    try {
      const real = realpathSync(join(specs, path));
      const root = realpathSync(specs);
      if (!(real === root || real.startsWith(`${root}/`)) || !statSync(real).isFile()) return undefined;
      return readFileSync(real, 'utf8');
    } catch {
      return undefined;
    }
  }

  it('never reads outside the root: refused with a located message, or inside content', () => {
    const p = project();
    symlinkSync(p.secret, join(p.specs, 'out-link'));
    symlinkSync('app.conf', join(p.specs, 'in-link'));
    symlinkSync(p.secretDir, join(p.specs, 'dir-link'));
    symlinkSync('loop', join(p.specs, 'loop'));
    const insideContents = new Set(['inside=ok\n', 'inner=ok\n']);
    const next = rng(SEED);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
    const outcomes = { read: 0, refused: 0 };
    for (let n = 0; n < FUZZ_CASES; n++) {
      const segments = Array.from({ length: 1 + Math.floor(next() * 8) }, () => pick(SEGMENTS));
      // A third of the paths wander but stay inside (`sub/../in-link`, `./sub/./inner.conf`).
      const wander = () => pick(['.', 'sub/..', 'sub/.', './sub/..', '']);
      const path = next() < 0.33
        ? [...Array.from({ length: Math.floor(next() * 4) }, wander), pick(['app.conf', 'in-link', 'sub/inner.conf', 'sub', 'loop', 'out-link'])].filter(Boolean).join('/')
        : (next() < 0.15 ? '/' : '') + segments.join(next() < 0.1 ? '//' : '/');
      writeFileSync(join(p.specs, 'svc.yaml'), specReading(path));
      let text: string | undefined;
      let error = '';
      try {
        const [svc] = loadSpecFileWith(join(p.specs, 'svc.yaml'), {});
        text = svc.model.config.files.app;
      } catch (e) {
        if (!(e instanceof SpecError)) throw e;
        error = e.message;
      }
      const about = `path ${JSON.stringify(path)} (seed ${SEED}, case ${n})`;
      expect(error + (text ?? ''), about).not.toContain(FILE_CANARY);
      if (text !== undefined) expect(insideContents.has(text), about).toBe(true);
      else expect(error, about).toMatch(/svc\.yaml:6:\d+: config\.filesFrom\.app: /);
      expect(text, about).toBe(oracle(p.specs, path));
      outcomes[text === undefined ? 'refused' : 'read']++;
    }
    if (FUZZ_CASES >= 40) expect(Math.min(outcomes.read, outcomes.refused)).toBeGreaterThan(0);
  });
});
