/**
 * What the real test node may change on the machine, and the machine's state it must leave alone:
 * global sysctls that kubelet sets (saved and restored), directories kubelet hard-codes (kept in
 * the node's mount namespace), cgroup helpers (the run's own root: cgroups.ts), and a snapshot of
 * the host network namespace (interfaces, addresses, routes, iptables and ip6tables rules) that
 * must be the same after the node ran.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Global (not per network namespace) sysctls kubelet sets at start (its "kernel tunables"). */
export const KUBELET_SYSCTLS = [
  'vm/overcommit_memory', 'vm/panic_on_oom', 'kernel/panic', 'kernel/panic_on_oops',
  'kernel/keys/root_maxkeys', 'kernel/keys/root_maxbytes',
];

/**
 * Directories kubelet 1.28 uses whatever its --root-dir is: inside the node's mount namespace
 * (mountns.ts) they are the run's own; on the host they must not appear.
 */
export const KUBELET_FIXED_DIRS = ['/var/log/pods', '/var/log/containers', '/var/lib/kubelet'];

/** The cgroup kubelet (cgroupfs driver) creates under its cgroup root, in every hierarchy. */
export const KUBELET_CGROUP = 'kubepods';

/** Runs a command, returns its stdout ('' when it fails). */
export function out(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout : '';
}

/** Values of the kubelet sysctls now. */
export function readSysctls(): Record<string, string> {
  const v: Record<string, string> = {};
  for (const s of KUBELET_SYSCTLS) {
    const f = `/proc/sys/${s}`;
    if (fs.existsSync(f)) v[s] = fs.readFileSync(f, 'utf8').trim();
  }
  return v;
}

/** Writes saved sysctl values back. */
export function restoreSysctls(saved: Record<string, string>): void {
  for (const [s, v] of Object.entries(saved)) {
    try {
      if (fs.readFileSync(`/proc/sys/${s}`, 'utf8').trim() !== v) fs.writeFileSync(`/proc/sys/${s}`, v);
    } catch { /* read-only here: nothing was changed either */ }
  }
}

/**
 * The cgroup v1/v2 hierarchies (directories under /sys/fs/cgroup that hold a cgroup.procs), each
 * once (`cpu` and `cpuacct` may be symlinks to one `cpu,cpuacct` mount).
 */
export function cgroupRoots(): string[] {
  const base = '/sys/fs/cgroup';
  if (fs.existsSync(path.join(base, 'cgroup.procs'))) return [base];
  const seen = new Set<string>();
  return fs.readdirSync(base).map((d) => path.join(base, d))
    .filter((d) => fs.existsSync(path.join(d, 'cgroup.procs')))
    .filter((d) => { const r = fs.realpathSync(d); return !seen.has(r) && !!seen.add(r); });
}

/** Removes a cgroup tree deepest first (only empty cgroups can be removed; others stay). */
export function removeCgroupTree(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) removeCgroupTree(path.join(dir, e.name));
  }
  try { fs.rmdirSync(dir); } catch { /* still in use */ }
}

/**
 * The host network namespace as text: interfaces (name, flags, addresses), routes of every table,
 * and the iptables/ip6tables rules without packet counters.
 */
export function hostNetworkSnapshot(): string {
  const noCounters = (s: string) => s.split('\n').filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, '')).join('\n');
  return [
    '## links', out('ip', ['-o', 'link', 'show']).replace(/\\\s+link\/.*$/gm, '').replace(/ qlen \d+/g, ''),
    '## addresses', out('ip', ['-o', 'addr', 'show']).replace(/valid_lft .*$/gm, ''),
    '## routes', out('ip', ['route', 'show', 'table', 'all']),
    '## routes6', out('ip', ['-6', 'route', 'show', 'table', 'all']).replace(/ expires \S+/g, ''),
    '## iptables', noCounters(out('iptables-save', [])),
    '## ip6tables', noCounters(out('ip6tables-save', [])),
  ].join('\n');
}

/** Mount points at or under dir, deepest first. */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => !!m && (m === dir || m.startsWith(prefix)))
    .map((m) => m.replace(/\\040/g, ' '))
    .sort((a, b) => b.length - a.length);
}

/** Pids of processes whose command line mentions `marker` (a path unique to one node). */
export function pidsMentioning(marker: string): number[] {
  const pids: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${d}/cmdline`, 'latin1').includes(marker)) pids.push(Number(d));
    } catch { /* gone */ }
  }
  return pids;
}
