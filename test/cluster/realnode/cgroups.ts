/**
 * The real node's own cgroup root. kubelet (cgroupfs driver) puts every pod under
 * `<cgroupRoot>/kubepods/{besteffort,burstable,}/pod<uid>/<container>`; with the default root `/`
 * two nodes on one machine (two test runs at once) share `kubepods`, and each kubelet's housekeeping
 * (`cleanupOrphanedPodCgroups`) takes the other's pod cgroups for orphans and kills their processes:
 * pods lose their sandboxes. Each run therefore gets `/slipway-<pid>` (the pid of the run's
 * global-setup, as in its network namespace `slipway-<pid>`), created before kubelet starts (kubelet
 * refuses a `cgroupRoot` that does not exist in every hierarchy) and removed, and only it, by stop().
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cgroupRoots, removeCgroupTree } from './host';

/** Names this module creates and removes: nothing else is ever removed. */
const RUN_CGROUP = /^slipway-\d+$/;

/** The cgroup root (kubelet `cgroupRoot`) of the run whose global-setup has `pid`. */
export function runCgroupName(pid: number): string {
  return `slipway-${pid}`;
}

function checked(name: string): string {
  if (!RUN_CGROUP.test(name)) throw new Error(`not a run cgroup name: ${JSON.stringify(name)} (expected slipway-<pid>)`);
  return name;
}

/** The run cgroup's directory in every hierarchy (cgroup v1 controllers, name=systemd, unified). */
export function runCgroupDirs(name: string, roots = cgroupRoots()): string[] {
  return roots.map((r) => path.join(r, checked(name)));
}

/**
 * Creates the run cgroup in every hierarchy. A leftover of the same name (a killed run whose pid
 * this run now has) is removed first when it is empty; a non-empty one is an error, never reused.
 * cpuset (v1) children start with no CPUs and no memory nodes: they get their parent's.
 */
export function createRunCgroup(name: string, roots = cgroupRoots()): string[] {
  const dirs = runCgroupDirs(name, roots);
  const stale = dirs.filter((d) => fs.existsSync(d));
  if (stale.length) {
    const left = removeRunCgroup(name, roots);
    if (left.length) throw new Error(`cgroup ${name} exists and is in use (${left.join(', ')}): another node with this name runs`);
  }
  for (const d of dirs) {
    fs.mkdirSync(d);
    for (const f of ['cpuset.cpus', 'cpuset.mems']) {
      const mine = path.join(d, f);
      if (fs.existsSync(mine) && fs.readFileSync(mine, 'utf8').trim() === '') {
        fs.writeFileSync(mine, fs.readFileSync(path.join(path.dirname(d), f), 'utf8').trim());
      }
    }
  }
  return dirs;
}

/**
 * Removes the run cgroup's tree (deepest first) in every hierarchy and returns the directories
 * that are still there (a cgroup with a process cannot be removed). Touches nothing outside it.
 */
export function removeRunCgroup(name: string, roots = cgroupRoots()): string[] {
  const dirs = runCgroupDirs(name, roots);
  for (const d of dirs) removeCgroupTree(d);
  return dirs.filter((d) => fs.existsSync(d));
}

/** The cgroup paths of a process, per hierarchy (`/proc/<pid>/cgroup`: `<id>:<controllers>:<path>`). */
export function cgroupsOfProcess(pid: number): { controllers: string; path: string }[] {
  return fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').filter(Boolean).map((l) => {
    const [, controllers, ...p] = l.split(':');
    return { controllers, path: p.join(':') };
  });
}

/**
 * The cgroups of every task (container, sandbox) the node's containerd runs, per hierarchy with
 * controllers (cgroup v1: `cpu`, `memory`, `name=systemd`, ...; the v2 line `0::` has none).
 */
export function taskCgroups(containerdSocket: string): { task: string; pid: number; controllers: string; path: string }[] {
  const r = spawnSync('ctr', ['--address', containerdSocket, '-n', 'k8s.io', 'tasks', 'ls'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ctr tasks ls: ${r.stderr}`);
  return r.stdout.split('\n').slice(1).map((l) => l.trim().split(/\s+/)).filter((f) => f.length >= 3 && f[2] === 'RUNNING')
    .flatMap(([task, pid]) => {
      try {
        return cgroupsOfProcess(Number(pid)).filter((c) => c.controllers !== '').map((c) => ({ task, pid: Number(pid), ...c }));
      } catch { return []; /* exited meanwhile */ }
    });
}
