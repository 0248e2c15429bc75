/**
 * The node's own mount namespace, for containerd and kubelet. kubelet 1.28 hard-codes
 * `/var/log/pods`, `/var/log/containers` and `/var/lib/kubelet` whatever its --root-dir, and its
 * container GC removes every directory in `/var/log/pods` whose pod it does not know: two nodes on
 * one machine (two test runs at once) would delete each other's pod logs, and a run would have to
 * create and remove these machine-wide directories. Inside this namespace `/var/log` and `/var/lib`
 * are the run's own directories (`<dir>/var/log`, `<dir>/var/lib`), so kubelet, containerd, the CNI
 * plugins (`/var/lib/cni`) and hostPath volumes under them see only this run's files; container and
 * volume mounts stay in the namespace too, and vanish with it.
 *
 * The namespace is persistent (bound to `<dir>/mntns/ns`, like `ip netns` does) so containerd and
 * kubelet, started separately, share it. Mounts of the host made later do not propagate into it
 * (private propagation), and none of its mounts propagate out.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The host directories the namespace replaces with the run's own. */
export const PRIVATE_DIRS = ['/var/log', '/var/lib'];

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.error ?? ''}`);
}

/** The file the namespace is bound to. */
export function mountNsFile(dir: string): string {
  return path.join(dir, 'mntns', 'ns');
}

/** The run's directory that stands for a host directory inside the namespace (`/var/log` → `<dir>/var/log`). */
export function privateDir(dir: string, hostDir: string): string {
  return path.join(dir, hostDir);
}

/**
 * Creates the namespace: a private bind mount to hold it (a persistent namespace must be bound on
 * a private mount), the namespace with private propagation, then `/var/log` and `/var/lib` bound
 * to the run's directories inside it. Returns the namespace file (nsenter --mount=<file>).
 */
export function createMountNs(dir: string): string {
  const holder = path.join(dir, 'mntns');
  fs.mkdirSync(holder, { recursive: true });
  run('mount', ['--bind', holder, holder]);
  run('mount', ['--make-private', holder]);
  const file = mountNsFile(dir);
  fs.writeFileSync(file, '');
  run('unshare', [`--mount=${file}`, '--propagation', 'private', 'true']);
  for (const d of PRIVATE_DIRS) {
    const own = privateDir(dir, d);
    fs.mkdirSync(own, { recursive: true });
    run('nsenter', [`--mount=${file}`, '--', 'mount', '--bind', own, d]);
  }
  return file;
}

/**
 * Releases the namespace (once no process is left in it, its mounts go with it) and the holder's
 * bind mount. Idempotent; returns what could not be unmounted.
 */
export function removeMountNs(dir: string): string[] {
  const holder = path.join(dir, 'mntns');
  const left: string[] = [];
  for (const m of [mountNsFile(dir), holder]) {
    if (!isMountPoint(m)) continue;
    if (spawnSync('umount', [m]).status !== 0 && spawnSync('umount', ['-l', m]).status !== 0) left.push(m);
  }
  return left;
}

/** The command prefix that runs a program inside the node's network and mount namespaces. */
export function inNodeNamespaces(netns: string, mountNs: string): string[] {
  return [`--net=${path.join('/run/netns', netns)}`, `--mount=${mountNs}`, '--'];
}

function isMountPoint(p: string): boolean {
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === p);
}
