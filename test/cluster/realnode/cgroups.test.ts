/**
 * The real node's cgroup root (realnode/cgroups.ts) on this machine's real cgroupfs, without a
 * node: each run's kubelet gets its own root, creating it copies cpuset from the parent, removing
 * it removes exactly that tree (a neighbour whose name starts the same, a process in it, and an
 * existing machine-wide `kubepods` stay as they were), a cgroup still holding a process is
 * reported and kept, and nothing but `slipway-<pid>` can be removed. Needs root.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRunCgroup, removeRunCgroup, runCgroupDirs, runCgroupName } from './cgroups';
import { kubeletConfig } from './config';
import { KUBELET_CGROUP, cgroupRoots } from './host';

/** Every directory under dir (relative), for "untouched" comparisons. */
function tree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())
    .flatMap((e) => [e.name, ...tree(path.join(dir, e.name)).map((c) => `${e.name}/${c}`)]).sort();
}

const root = process.getuid?.() === 0 && fs.existsSync('/sys/fs/cgroup');

describe.skipIf(!root)('real node: per-run cgroup root', () => {
  // Pids above pid_max (at most 2^22): no real run can have these names.
  const base = 9_000_000_000 + (process.pid % 100_000) * 1000;
  const mine = runCgroupName(base + 12);
  const neighbour = runCgroupName(base + 120); // `slipway-…12` is a prefix of `slipway-…120`
  const made: string[] = [];
  const procs: ChildProcess[] = [];
  const sleeper = () => { const p = spawn('sleep', ['300'], { stdio: 'ignore' }); procs.push(p); return p.pid!; };
  const join = (dir: string, pid: number) => fs.writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
  /** A v1 controller hierarchy a process can join without more setup. */
  const pidsRoot = cgroupRoots().find((r) => /\/(pids|memory)$/.test(r)) ?? cgroupRoots()[0];

  afterAll(() => {
    for (const p of procs) p.kill('SIGKILL');
    const deadline = Date.now() + 5000;
    for (const n of made) {
      while (removeRunCgroup(n).length && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  });

  it('is kubelet\'s cgroupRoot, one per run, never the machine-wide root', () => {
    const paths = { dir: '/d', containerdSocket: '/d/c.sock', resolvConf: '/d/r', kubeletClientCa: '/d/ca' };
    const a = JSON.parse(kubeletConfig({ ...paths, cgroupRoot: runCgroupName(111) }));
    const b = JSON.parse(kubeletConfig({ ...paths, cgroupRoot: runCgroupName(1111) }));
    expect(a.cgroupDriver).toBe('cgroupfs');
    expect(a.cgroupsPerQOS ?? true).toBe(true); // pods under <root>/kubepods
    expect(a.cgroupRoot).toBe('/slipway-111');
    expect(b.cgroupRoot).toBe('/slipway-1111');
    // Two runs: siblings under /, neither inside the other, neither `/` (where a default kubelet puts kubepods).
    expect(`${b.cgroupRoot}/`.startsWith(`${a.cgroupRoot}/`)).toBe(false);
    expect(`${a.cgroupRoot}/`.startsWith(`${b.cgroupRoot}/`)).toBe(false);
  });

  it('refuses to create or remove anything but slipway-<pid>', () => {
    for (const bad of [KUBELET_CGROUP, 'slipway-', 'slipway-1/..', '../slipway-1', 'slipway-1/kubepods', 'process_api']) {
      expect(() => removeRunCgroup(bad), bad).toThrow(/not a run cgroup name/);
      expect(() => createRunCgroup(bad), bad).toThrow(/not a run cgroup name/);
    }
  });

  it('creates the root in every hierarchy kubelet validates, with its parent\'s cpuset', () => {
    made.push(mine);
    const dirs = createRunCgroup(mine);
    expect(dirs).toEqual(cgroupRoots().map((r) => path.join(r, mine)));
    for (const d of dirs) expect(fs.statSync(d).isDirectory(), d).toBe(true);
    const names = cgroupRoots().map((r) => path.basename(r));
    for (const c of ['cpu', 'cpuacct', 'cpuset', 'memory', 'pids'].filter((n) => cgroupRoots().length > 1 && names.some((x) => x.split(',').includes(n)))) {
      expect(dirs.some((d) => path.basename(path.dirname(d)).split(',').includes(c)), c).toBe(true);
    }
    const cpuset = dirs.find((d) => fs.existsSync(path.join(d, 'cpuset.cpus')) && path.basename(path.dirname(d)).includes('cpuset'));
    if (cpuset) {
      expect(fs.readFileSync(path.join(cpuset, 'cpuset.cpus'), 'utf8').trim()).not.toBe('');
      expect(fs.readFileSync(path.join(cpuset, 'cpuset.mems'), 'utf8').trim()).not.toBe('');
    }
  });

  it('removes exactly its own tree: a neighbour, its process and a machine-wide kubepods stay', () => {
    // A kubelet-like tree in mine; a neighbour run with the same prefix and a process in it.
    for (const d of runCgroupDirs(mine)) fs.mkdirSync(path.join(d, KUBELET_CGROUP, 'besteffort', 'podx', 'c1'), { recursive: true });
    made.push(neighbour);
    for (const d of createRunCgroup(neighbour)) fs.mkdirSync(path.join(d, KUBELET_CGROUP, 'burstable'), { recursive: true });
    const pid = sleeper();
    join(path.join(pidsRoot, neighbour), pid);
    const kubepodsBefore = cgroupRoots().map((r) => tree(path.join(r, KUBELET_CGROUP)));
    const neighbourBefore = runCgroupDirs(neighbour).map(tree);

    expect(removeRunCgroup(mine)).toEqual([]);

    for (const d of runCgroupDirs(mine)) expect(fs.existsSync(d), d).toBe(false);
    expect(runCgroupDirs(neighbour).map(tree)).toEqual(neighbourBefore);
    expect(neighbourBefore.every((t) => t.includes(`${KUBELET_CGROUP}/burstable`))).toBe(true);
    expect(fs.readFileSync(path.join(pidsRoot, neighbour, 'cgroup.procs'), 'utf8').split('\n')).toContain(String(pid));
    expect(fs.existsSync(`/proc/${pid}`)).toBe(true);
    expect(cgroupRoots().map((r) => tree(path.join(r, KUBELET_CGROUP)))).toEqual(kubepodsBefore);
  });

  it('keeps (and reports) a cgroup that still holds a process; an empty leftover of its name is reused', () => {
    // The neighbour holds a process: it cannot be removed, nor created anew over it.
    const left = removeRunCgroup(neighbour);
    expect(left).toContain(path.join(pidsRoot, neighbour));
    expect(() => createRunCgroup(neighbour)).toThrow(/in use/);
    expect(fs.readFileSync(path.join(pidsRoot, neighbour, 'cgroup.procs'), 'utf8').trim()).not.toBe('');
    // An empty leftover of mine (a killed run whose pid this run got) is removed and created afresh.
    createRunCgroup(mine);
    for (const d of runCgroupDirs(mine)) fs.mkdirSync(path.join(d, KUBELET_CGROUP));
    const dirs = createRunCgroup(mine);
    for (const d of dirs) expect(tree(d), d).toEqual([]);
  });
});
