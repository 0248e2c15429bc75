/**
 * Hostile output directories, through Slipway's safe writer (src/outdir/, what `slipway synth`
 * and the cdk8s app use): a table of cases, then random paths (seeded) through symlinks, `..`,
 * `.git` and the places that must never be replaced. Every case is either refused with an
 * OutputError (exit 2) and nothing at all changed, or written with nothing outside the output
 * directory changed. `SLIPWAY_FUZZ_CASES` random cases (default 40), seed `SLIPWAY_FUZZ_SEED`.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { lstatSync, mkdirSync, rmSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomically } from '../../src/app/synth';
import { OutputError } from '../../src/outdir/errors';
import { formatMarker } from '../../src/outdir/marker';
import { processStart } from '../../src/outdir/lock';
import { isWithin, realPath } from '../../src/outdir/paths';
import { rng } from '../support/random-spec';

// The old output is deleted before the writer returns (not by a detached process), so the test sees the end state.
process.env.SLIPWAY_SYNC_CLEANUP = '1';

const FILES = new Map([['svc/manifests/svc.k8s.yaml', 'kind: Deployment\n'], ['svc/chart/svc/Chart.yaml', 'name: svc\n']]);

/** A world: a repository with specs, .git and the user's files; Slipway outputs, foreign and odd directories; symlinks to all of it. */
function world(): string {
  const w = realpathSync(mkdtempSync(join(tmpdir(), 'slipway-hostile-outdir-')));
  const file = (rel: string, text = `${rel}\n`) => {
    mkdirSync(join(w, rel, '..'), { recursive: true });
    writeFileSync(join(w, rel), text);
  };
  const owned = (rel: string, files: Record<string, string>, marker = formatMarker(Object.keys(files))) => {
    for (const [f, t] of Object.entries(files)) file(`${rel}/${f}`, t);
    file(`${rel}/.slipway-owned`, marker);
  };
  file('repo/.git/HEAD', 'ref: refs/heads/main\n');
  file('repo/notes.txt');
  file('repo/specs/web.yaml', 'name: web\n');
  owned('repo/dist', { 'old/manifests/old.k8s.yaml': 'kind: Old\n' });
  file('repo/foreign/precious.txt');
  mkdirSync(join(w, 'repo/empty'));
  file('home/.ssh/id_ed25519', 'secret\n');
  owned('repo/dist-with-link', { 'a/f': 'a' });
  symlinkSync(join(w, 'repo'), join(w, 'repo/dist-with-link/a/escape'));
  owned('repo/dist-fake-marker', { 'a/f': 'a' }, `${formatMarker(['a/f'])}../notes.txt\n`);
  owned('repo/dist-abs-marker', { 'a/f': 'a' }, `${formatMarker(['a/f'])}/etc/passwd\n`);
  owned('repo/dist-old-header', { 'a/f': 'a' }, 'a/f\n');
  file('repo/dist-listed-link/.slipway-owned', formatMarker(['svc/web.yaml']));
  symlinkSync(join(w, 'repo/specs'), join(w, 'repo/dist-listed-link/svc'));
  owned('repo/dist-git-inside', { 'a/f': 'a' });
  file('repo/dist-git-inside/a/.git/config');
  owned('repo/dist-newline', { 'a/f': 'a' });
  file('repo/dist-newline/a/evil\nname');
  owned('repo/dist-journal', { 'a/f': 'a' });
  writeFileSync(join(w, 'repo/dist-journal.slipway-journal'), JSON.stringify({ outdir: join(w, 'repo/dist-journal'), tmp: '/etc', old: '/tmp', replaceAll: true, moves: [['aside', 'a']] }));
  mkdirSync(join(w, 'links'));
  const link = (name: string, to: string) => symlinkSync(to, join(w, 'links', name));
  link('to-repo', join(w, 'repo'));
  link('to-specs', join(w, 'repo/specs'));
  link('to-dist', join(w, 'repo/dist'));
  link('to-git', join(w, 'repo/.git'));
  link('to-home', join(w, 'home'));
  link('to-root', '/');
  link('loop', join(w, 'links/loop'));
  link('dangling', join(w, 'nowhere/x'));
  link('to-file', join(w, 'repo/notes.txt'));
  link('relative-up', '../repo');
  return w;
}

/** Every entry under `dir` (symlinks as their target, never followed) with its content. */
function snap(dir: string, skip: (abs: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const p = join(abs, name);
      if (skip(p)) continue;
      const r = `${rel}${name}`;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(r, `-> ${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(`${r}/`, '');
        walk(p, `${r}/`);
      } else out.set(r, readFileSync(p, 'utf8'));
    }
  };
  walk(dir, '');
  return out;
}

type Outcome = { ok: true; real: string } | { ok: false; message: string };

/** Writes FILES to `out` (relative to the repository, as a user in it types) with the world's specs as inputs. */
function attempt(w: string, out: string, force = false): Outcome {
  const cwd = join(w, 'repo');
  const real = realOut(w, out); // before: a forced write may replace the links the path goes through
  try {
    writeAtomically(out, FILES, { inputs: [join(w, 'repo/specs/web.yaml')], cwd, home: join(w, 'home'), forceReplace: force });
    return { ok: true, real };
  } catch (e) {
    if (e instanceof OutputError) return { ok: false, message: e.message };
    throw e;
  }
}

/** The libc realpath of the path as written (`link/..` at the link's target, as the kernel resolves it). */
function realOut(w: string, out: string): string {
  try {
    return realpathSync.native(out.startsWith('/') ? out : `${w}/repo/${out}`);
  } catch {
    // The path as written does not resolve (`missing/..`): Slipway takes missing parts as mkdir -p would.
    return realPath(out, join(w, 'repo'));
  }
}

/** Runs a case and checks the invariant; returns the outcome and the world. */
function check(out: (w: string) => string, force = false, w = world()): { r: Outcome; w: string } {
  const before = snap(w);
  const target = out(w);
  const r = attempt(w, target, force);
  try {
    verify(w, before, target, r);
  } finally {
    rmSync(w, { recursive: true, force: true }); // never follows a symlink
  }
  return { r, w };
}

function verify(w: string, before: Map<string, string>, target: string, r: Outcome): void {
  if (!r.ok) {
    expect(snap(w), `refused ${target}: ${r.message}`).toEqual(before);
    return;
  }
  // Written: exactly FILES and the marker in the output directory ...
  expect(Object.fromEntries(snap(r.real))).toEqual({ 'svc/': '', 'svc/manifests/': '', 'svc/chart/': '', 'svc/chart/svc/': '', ...Object.fromEntries(FILES), '.slipway-owned': formatMarker(FILES.keys()) });
  // ... and nothing outside it changed, appeared or disappeared.
  // (The output directory's missing parents are created: a new directory each, on the way to it.)
  const after = snap(w);
  const madeParent = (k: string) => !before.has(k) && k.endsWith('/') && isWithin(r.real, join(w, k));
  const outside = (m: Map<string, string>) => new Map([...m].filter(([k]) => !isWithin(join(w, k), r.real) && !madeParent(k)));
  expect(outside(after), target).toEqual(outside(before));
  for (const guarded of ['repo/specs/web.yaml', 'repo/.git', 'repo', 'home']) expect(isWithin(join(w, guarded), r.real), `${target} holds ${guarded}`).toBe(false);
}

const cases: [string, (w: string) => string, boolean, 'ok' | RegExp][] = [
  ['Slipway\'s own previous output', () => 'dist', false, 'ok'],
  ['a new directory', () => 'new/dist', false, 'ok'],
  ['an empty directory', () => 'empty', false, 'ok'],
  ['a trailing slash', () => 'dist/', false, 'ok'],
  ['doubled slashes', (w) => `${w}//repo//dist`, false, 'ok'],
  ['a detour through the specs', () => 'specs/../dist', false, 'ok'],
  ['a directory that is not Slipway\'s', () => 'foreign', false, /not empty and was not written by Slipway/],
  ['a directory that is not Slipway\'s, with --force-replace', () => 'foreign', true, 'ok'],
  ['the working directory (-o .)', () => '.', false, /may not be the working directory/],
  ['the working directory, with --force-replace', () => '.', true, /may not be the working directory/],
  ['the working directory, absolute', (w) => join(w, 'repo'), false, /may not be the working directory/],
  ['the parent of the working directory', () => '..', true, /may not contain the working directory/],
  ['the spec directory', () => 'specs', false, /may not contain the spec file/],
  ['the spec directory, with --force-replace', () => 'specs', true, /may not contain the spec file/],
  ['back into the specs', () => 'dist/../specs', true, /may not contain the spec file/],
  ['a spec file itself', () => 'specs/web.yaml', true, /may not contain the spec file/],
  ['.git', () => '.git', true, /inside a \.git directory/],
  ['inside .git', () => '.git/objects/out', true, /inside a \.git directory/],
  ['a symlink to the repository', (w) => join(w, 'links/to-repo'), true, /may not (be|contain) the working directory/],
  ['a symlink to the spec directory', (w) => join(w, 'links/to-specs'), true, /may not contain the spec file/],
  ['a relative symlink up to the repository', (w) => join(w, 'links/relative-up'), true, /working directory/],
  ['through a symlink and .. (the kernel resolves link/.. at the target)', (w) => join(w, 'links/to-specs/../dist'), false, 'ok'],
  ['a symlink to Slipway\'s output (written at the target, the link kept)', (w) => join(w, 'links/to-dist'), false, 'ok'],
  ['a symlink to .git', (w) => join(w, 'links/to-git'), true, /inside a \.git directory/],
  ['the home directory', (w) => join(w, 'home'), true, /may not be the home directory/],
  ['a symlink to the home directory', (w) => join(w, 'links/to-home'), true, /may not be the home directory/],
  ['a directory inside home (allowed)', (w) => join(w, 'home/work/dist'), false, 'ok'],
  ['the root directory', () => '/', true, /root directory|working directory/],
  ['a symlink to the root directory', (w) => join(w, 'links/to-root'), true, /root directory|working directory/],
  ['a symlink loop', (w) => join(w, 'links/loop'), true, /not a directory|symbolic links/],
  ['a dangling symlink (never written through)', (w) => join(w, 'links/dangling'), true, /not a directory/],
  ['below a dangling symlink', (w) => join(w, 'links/dangling/x/dist'), true, /symbolic link that leads nowhere/],
  ['a symlink to a file', (w) => join(w, 'links/to-file'), true, /may not|not a directory/],
  ['a file', () => 'notes.txt', true, /not a directory/],
  ['below a file', () => 'notes.txt/dist', true, /a part of the path is a file/],
  ['a missing directory, .., then a symlink to the specs (resolved, not taken lexically)', () => 'missing/../../links/to-repo/specs', true, /may not contain the spec file/],
  ['the same into the repository', () => 'missing/../../links/to-repo', true, /working directory/],
  ['Slipway\'s output holding a symlink it did not write', () => 'dist-with-link', false, /did not write \(a\/escape\)/],
  ['the same, with --force-replace (the link is removed, not followed)', () => 'dist-with-link', true, 'ok'],
  ['a marker listing ../notes.txt', () => 'dist-fake-marker', false, /no valid \.slipway-owned/],
  ['a marker listing /etc/passwd', () => 'dist-abs-marker', false, /no valid \.slipway-owned/],
  ['a marker without Slipway\'s header', () => 'dist-old-header', false, /no valid \.slipway-owned/],
  ['a listed path through a symlinked directory', () => 'dist-listed-link', false, /did not write \(svc\)/],
  ['the same, with --force-replace (the specs stay)', () => 'dist-listed-link', true, 'ok'],
  ['Slipway\'s output with a .git inside, even with --force-replace', () => 'dist-git-inside', true, /holds a git repository \(a\/\.git\)/],
  ['a file with a newline in its name', () => 'dist-newline', false, /did not write/],
  ['a forged journal pointing elsewhere', () => 'dist-journal', false, /not a journal Slipway wrote/],
];

describe('hostile output directories (table)', () => {
  it('has at least 30 cases', () => expect(cases.length).toBeGreaterThanOrEqual(30));
  for (const [name, out, force, expected] of cases) {
    it(`${name}${force ? ' [--force-replace]' : ''}: ${expected === 'ok' ? 'written, nothing else touched' : 'refused, nothing touched'}`, () => {
      const { r } = check(out, force);
      if (expected === 'ok') expect(r.ok, r.ok ? '' : r.message).toBe(true);
      else {
        expect(r.ok).toBe(false);
        expect(r.ok ? '' : r.message).toMatch(expected);
      }
    });
  }

  it('another live run holding the lock: refused in plain words', async () => {
    const w = world();
    const sleeper = spawn('sleep', ['30']);
    try {
      await new Promise((resolve) => sleeper.once('spawn', resolve));
      writeFileSync(join(w, 'repo/dist.slipway-lock'), `${sleeper.pid} ${processStart(sleeper.pid!)}\n`);
      const before = snap(w);
      const r = attempt(w, 'dist');
      expect(r.ok ? '' : r.message).toMatch(new RegExp(`another slipway run \\(pid ${sleeper.pid}\\) is writing dist; wait for it, or remove .*dist\\.slipway-lock if no run is active`));
      expect(snap(w)).toEqual(before);
    } finally {
      sleeper.kill('SIGKILL');
      rmSync(w, { recursive: true, force: true });
    }
  });
});


describe('hostile output directories (random paths, seeded)', () => {
  const n = Number(process.env.SLIPWAY_FUZZ_CASES ?? 40);
  const seed = Number(process.env.SLIPWAY_FUZZ_SEED ?? 20261205);
  const parts = ['..', '.', 'dist', 'specs', '.git', 'foreign', 'empty', 'new', 'notes.txt', 'dist-with-link', 'a', 'escape', 'svc', 'dist-listed-link', '../links/to-repo', '../links/to-specs', '../links/to-dist', '../links/relative-up', '../links/to-home', '../links/loop', '../links/dangling'];
  it(`${n} random paths (seed ${seed}): refused with nothing touched, or written with nothing outside touched`, () => {
    const next = rng(seed);
    for (let i = 0; i < n; i++) {
      const len = 1 + Math.floor(next() * 4);
      const path = Array.from({ length: len }, () => parts[Math.floor(next() * parts.length)]).join('/');
      const force = next() < 0.5;
      try {
        const w = world();
        // Paths that leave the world (`..` up to /tmp) are skipped: never write outside the test's own directory.
        if (!isWithin(realPath(path, join(w, 'repo')), w)) {
          rmSync(w, { recursive: true, force: true });
          continue;
        }
        check(() => path, force, w); // asserts the invariant, whichever way it went
      } catch (e) {
        throw new Error(`case ${i}: -o ${path}${force ? ' --force-replace' : ''}: ${(e as Error).message}`);
      }
    }
  }, 120_000);
});
