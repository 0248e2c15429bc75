/**
 * The output directory is Slipway's only when it proves it (src/outdir/): real-path guards, the
 * ownership marker, no symlink followed, one run at a time, and a commit that survives `kill -9`
 * at any instant. Environmental failures (disk full, read-only, permission denied) exit 2 in words.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOnce, slipway, tempDir, snapshot, readTree, BASE, CLI, ROOT } from './helpers';
import { processStart } from '../../src/outdir/lock';

const spec = (name: string, extra = '') => BASE.replace('name: web', `name: ${name}`) + extra;

/** A directory of spec files: name -> extra YAML. */
function specDir(services: Record<string, string>): string {
  const dir = tempDir('specs');
  for (const [name, extra] of Object.entries(services)) writeFileSync(join(dir, `${name}.yaml`), spec(name, extra));
  return dir;
}

/** A project: specs/ (with a .git and a file of the user's) in a repository directory. */
function repo(): { root: string; specs: string } {
  const root = tempDir('repo');
  const specs = join(root, 'specs');
  mkdirSync(join(root, '.git', 'objects'), { recursive: true });
  writeFileSync(join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(root, 'notes.txt'), 'mine\n');
  mkdirSync(specs);
  writeFileSync(join(specs, 'web.yaml'), BASE);
  return { root, specs };
}

/** Sibling entries Slipway leaves next to `out` (none after a run). */
function siblings(out: string): string[] {
  return readdirSync(join(out, '..')).filter((n) => n !== 'dist' && n.startsWith('dist'));
}

describe('the output directory: only what Slipway owns', () => {
  beforeAll(() => buildOnce(), 180_000);

  it('refuses -o given as a symlink to the spec directory, and deletes nothing', () => {
    const { root, specs } = repo();
    const link = join(tempDir('link'), 'out');
    symlinkSync(root, link);
    const before = snapshot(root);
    const r = slipway(['synth', specs, '-o', link]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/may not contain the spec file .*web\.yaml/);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses -o . and an ancestor of the working directory, from inside the repository', () => {
    const { root, specs } = repo();
    const before = snapshot(root);
    for (const o of ['.', '..', 'specs/..', root]) {
      const r = slipway(['synth', specs, '-o', o], { cwd: join(root, o === '..' ? 'specs' : '') });
      expect(r.status, o).toBe(2);
      expect(r.stderr, o).toMatch(/may not (be|contain) the (working directory|spec file)/);
    }
    expect(snapshot(root)).toEqual(before);
  });

  it('refuses a non-empty directory without the marker; --force-replace and SLIPWAY_FORCE_REPLACE=1 replace it', () => {
    const specs = specDir({ web: '' });
    const out = join(tempDir('unmarked'), 'dist');
    mkdirSync(join(out, 'sub'), { recursive: true });
    writeFileSync(join(out, 'sub', 'precious.txt'), 'mine\n');
    const before = snapshot(out);
    const r = slipway(['synth', specs, '-o', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is not empty and was not written by Slipway .*--force-replace/);
    expect(snapshot(out)).toEqual(before);
    expect(siblings(out)).toEqual([]);

    const forced = slipway(['synth', specs, '-o', out, '--force-replace'], { env: { SLIPWAY_SYNC_CLEANUP: '1' } });
    expect(forced.status, forced.stderr).toBe(0);
    expect(existsSync(join(out, 'sub'))).toBe(false);
    expect(readFileSync(join(out, '.slipway-owned'), 'utf8')).toContain('web/manifests/web.k8s.yaml');
    expect(siblings(out)).toEqual([]);

    const out2 = join(tempDir('unmarked-env'), 'dist');
    mkdirSync(out2);
    writeFileSync(join(out2, 'x'), 'x');
    expect(slipway(['synth', specs, '-o', out2], { env: { SLIPWAY_FORCE_REPLACE: '1' } }).status).toBe(0);
    expect(existsSync(join(out2, 'x'))).toBe(false);
  });

  it('writes into a new or empty directory without asking, and re-synths its own', () => {
    const specs = specDir({ web: '' });
    const empty = join(tempDir('empty'), 'dist');
    mkdirSync(empty);
    expect(slipway(['synth', specs, '-o', empty]).status).toBe(0);
    expect(slipway(['synth', specs, '-o', empty, '--force']).status).toBe(0);
    expect(slipway(['synth', specs, '-o', join(tempDir('new'), 'a', 'b', 'dist')]).status).toBe(0);
  });

  it('never follows a symlink inside the old output: a listed file turned link is unlinked, a linked directory is refused', () => {
    const specs = specDir({ web: '' });
    const outside = tempDir('outside');
    writeFileSync(join(outside, 'keep.txt'), 'keep\n');
    mkdirSync(join(outside, 'templates'));
    writeFileSync(join(outside, 'templates', 'deployment.yaml'), 'keep too\n');
    const out = join(tempDir('links'), 'dist');
    expect(slipway(['synth', specs, '-o', out]).status).toBe(0);

    // A listed file replaced by a symlink to a file outside: the link goes, the file stays.
    const manifest = join(out, 'web', 'manifests', 'web.k8s.yaml');
    rmSync(manifest);
    symlinkSync(join(outside, 'keep.txt'), manifest);
    const r = slipway(['synth', specs, '-o', out], { env: { SLIPWAY_SYNC_CLEANUP: '1' } });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(outside, 'keep.txt'), 'utf8')).toBe('keep\n');
    expect(readFileSync(manifest, 'utf8')).toMatch(/^kind: Deployment$/m);

    // A listed directory replaced by a symlink to a directory outside: not Slipway's, refused.
    const templates = join(out, 'web', 'chart', 'web', 'templates');
    rmSync(templates, { recursive: true });
    symlinkSync(join(outside, 'templates'), templates);
    const refused = slipway(['synth', specs, '-o', out]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('web/chart/web/templates');
    // Even replaced by force, the link is removed, never followed.
    expect(slipway(['synth', specs, '-o', out, '--force-replace'], { env: { SLIPWAY_SYNC_CLEANUP: '1' } }).status).toBe(0);
    expect(readFileSync(join(outside, 'templates', 'deployment.yaml'), 'utf8')).toBe('keep too\n');
    expect(siblings(out)).toEqual([]);
  });

  it('refuses a directory holding a git repository, even with --force-replace', () => {
    const specs = specDir({ web: '' });
    const out = join(tempDir('git'), 'dist');
    mkdirSync(join(out, 'sub', '.git'), { recursive: true });
    const before = snapshot(out);
    const r = slipway(['synth', specs, '-o', out, '--force-replace']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/holds a git repository \(sub\/\.git\)/);
    expect(snapshot(out)).toEqual(before);
  });
});

describe('one run at a time', () => {
  beforeAll(() => buildOnce(), 180_000);

  it('a live run holding the lock: refused in plain words (exit 2, not an internal error); a dead one: taken over', () => {
    const specs = specDir({ web: '' });
    const out = join(tempDir('locked'), 'dist');
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(`${out}.slipway-lock`, `${sleeper.pid} ${processStart(sleeper.pid!)}\n`);
      const r = slipway(['synth', specs, '-o', out]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`another slipway run (pid ${sleeper.pid}) is writing ${out}; wait for it, or remove ${out}.slipway-lock if no run is active`);
      expect(existsSync(out)).toBe(false);
      // The same pid with another start time is another process: the lock is stale.
      writeFileSync(`${out}.slipway-lock`, `${sleeper.pid} 1\n`);
      expect(slipway(['synth', specs, '-o', out]).status).toBe(0);
    } finally {
      sleeper.kill('SIGKILL');
    }
    // A lock left by a killed run (its pid is gone) is taken over.
    const dead = spawnSync('true').pid!;
    writeFileSync(`${out}.slipway-lock`, `${dead} 12345\n`);
    expect(slipway(['synth', specs, '-o', out]).status).toBe(0);
    expect(siblings(out)).toEqual([]);
  });

  it('concurrent synths into one directory: each succeeds or is told another run is writing; the result is complete', async () => {
    const specs = specDir({ a: '', b: '', c: '' });
    const out = join(tempDir('concurrent'), 'dist');
    const ref = join(tempDir('concurrent-ref'), 'dist');
    expect(slipway(['synth', specs, '-o', ref]).status).toBe(0);
    const runs = await Promise.all([0, 1, 2, 3].map((i) => new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'synth', specs, '-o', out, ...(i % 2 ? ['--force'] : [])], { env: { ...process.env, SLIPWAY_SYNC_CLEANUP: '1', NO_COLOR: '1' } });
      let stderr = '';
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('close', (code) => resolve({ code, stderr }));
    })));
    for (const r of runs) {
      expect([0, 2], r.stderr).toContain(r.code);
      if (r.code === 2) expect(r.stderr).toMatch(/another slipway run \(pid \d+\) is writing/);
      expect(r.stderr).not.toMatch(/internal error/);
    }
    expect(runs.some((r) => r.code === 0)).toBe(true);
    expect(readTree(out)).toEqual(readTree(ref));
    expect(siblings(out)).toEqual([]);
  }, 60_000);
});

describe('kill -9 during a synth, at every step', () => {
  beforeAll(() => buildOnce(), 180_000);

  it('the next run leaves the old or the new output, complete, never a mix, nothing aside', () => {
    // Old output: a, b, d. New: a unchanged (kept in place), b changed, c added, d removed.
    const oldSpecs = specDir({ a: '', b: '', d: '' });
    const newSpecs = specDir({ a: '', b: 'replicas: 3\n', c: '' });
    const bad = specDir({ x: 'replicas: three\n' });
    const template = join(tempDir('crash-old'), 'dist');
    expect(slipway(['synth', oldSpecs, '-o', template]).status).toBe(0);
    const oldTree = readTree(template);
    const newRef = join(tempDir('crash-new'), 'dist');
    expect(slipway(['synth', newSpecs, '-o', newRef]).status).toBe(0);
    const newTree = readTree(newRef);
    expect(newTree).not.toEqual(oldTree);

    const outcomes: string[] = [];
    for (let step = 1; step < 100; step++) {
      const out = join(tempDir(`crash-${step}`), 'dist');
      cpSync(template, out, { recursive: true });
      const r = slipway(['synth', newSpecs, '-o', out, '-j', '1'], { env: { SLIPWAY_TEST_CRASH_AT: String(step), SLIPWAY_SYNC_CLEANUP: '1' } });
      if (r.status === 0) {
        // Past the last step: the run completed.
        expect(readTree(out)).toEqual(newTree);
        expect(step).toBeGreaterThan(5);
        break;
      }
      expect(r.signal ?? r.status, `step ${step}: ${r.stderr}`).toBe('SIGKILL');
      // The next run (here one that fails on a bad spec, so that it writes nothing itself) recovers.
      const next = slipway(['synth', bad, '-o', out]);
      expect(next.status, next.stderr).toBe(2);
      expect(next.stderr).toMatch(/replicas: must be integer/);
      const tree = readTree(out);
      const which = JSON.stringify([...tree]) === JSON.stringify([...oldTree]) ? 'old' : JSON.stringify([...tree]) === JSON.stringify([...newTree]) ? 'new' : 'mix';
      expect(which, `step ${step}`).not.toBe('mix');
      expect(siblings(out), `step ${step}`).toEqual([]);
      outcomes.push(which);
      // And a normal run after it completes the new output.
      expect(slipway(['synth', newSpecs, '-o', out]).status).toBe(0);
      expect(readTree(out)).toEqual(newTree);
    }
    // Both outcomes happen: crashes before the journal keep the old output, after it finish the new one.
    expect(outcomes).toContain('old');
    expect(outcomes).toContain('new');
  }, 300_000);
});

describe('environmental failures: plain words, exit 2, nothing left behind', () => {
  beforeAll(() => buildOnce(), 180_000);
  const root = process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0;

  /** Runs the CLI in a private mount namespace with a tmpfs mounted (options `opts`) on a fresh directory. */
  function inTmpfs(opts: string, args: (dir: string) => string[]) {
    const dir = tempDir('mnt');
    const cmd = `mount -t tmpfs -o ${opts} tmpfs "$0" && exec "$@"`;
    const r = spawnSync('unshare', ['-m', 'sh', '-c', cmd, dir, process.execPath, CLI, ...args(dir)], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { ...r, dir };
  }

  it.skipIf(!root)('a full disk', () => {
    const r = inTmpfs('size=64k', (d) => ['synth', join(ROOT, 'examples'), '-o', join(d, 'dist'), '-j', '1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: the disk is full writing \/.+/m);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(readdirSync(r.dir)).toEqual([]); // the namespace is gone: the mount and anything in it
  });

  it.skipIf(!root)('a full disk with worker threads', () => {
    const r = inTmpfs('size=64k', (d) => ['synth', join(ROOT, 'examples'), '-o', join(d, 'dist'), '-j', '3']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: the disk is full writing \/.+\.k8s\.yaml|^error: the disk is full writing \/.+/m);
  });

  it.skipIf(!root)('a read-only file system', () => {
    const r = inTmpfs('ro', (d) => ['synth', join(ROOT, 'examples'), '-o', join(d, 'dist')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: the file system is read-only: .*dist\.slipway-lock$/m);
  });

  it.skipIf(!root || spawnSync('setpriv', ['--version']).status !== 0)('permission denied (as an unprivileged user)', () => {
    const dir = tempDir('perm');
    mkdirSync(join(dir, 'ro'), { mode: 0o555 });
    spawnSync('chmod', ['755', dir]);
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, 'synth', join(ROOT, 'examples'), '-o', join(dir, 'ro', 'dist')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: permission denied: .*ro\/dist\.slipway-lock$/m);
    expect(readdirSync(join(dir, 'ro'))).toEqual([]);
  });
});
