/**
 * The local real node is isolated: its network namespace has no route out (no default route, no
 * IPv6 route but loopback), kubelet's and kube-proxy's iptables rules are inside it, and the
 * host's interfaces, addresses, routes and iptables rules are what they were before the node
 * started. (The file's afterAll, realnode/use.ts, checks that stopping the node left nothing behind:
 * processes, mounts, the namespace, cgroups, sysctls, host network state.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCgroupDirs } from '../realnode/cgroups';
import { BRIDGE, NODE_IP, NODE_LABEL, POD_CIDR, SERVICE_CIDR } from '../realnode/config';
import { KUBELET_CGROUP, KUBELET_FIXED_DIRS, cgroupRoots, hostNetworkSnapshot, mountsUnder } from '../realnode/host';
import { mountNsFile, privateDir } from '../realnode/mountns';
import { useRealNode } from '../realnode/use';
import { inNetns, k, realNode } from './support';

describe.skipIf(!realNode.planDir)('real node: isolation', () => {
  // afterAll (use.ts) stops the node and fails unless nothing is left: processes, mounts, the
  // namespace, cgroups, kubelet's sysctls, and any change to the host's network state.
  const local = useRealNode();
  const inNodeNetns = (args: string[]) => inNetns(local.node!.netns, args);
  // Before beforeAll starts the node: the machine-wide kubepods (another kubelet's, or a leftover).
  const machineKubepods = cgroupRoots().map((r) => path.join(r, KUBELET_CGROUP)).filter((d) => fs.existsSync(d));
  const hostFixedDirs = () => KUBELET_FIXED_DIRS.map((d) => `${d} ${fs.existsSync(d) ? fs.readdirSync(d).length : 'absent'}`);
  const fixedBefore = hostFixedDirs();

  it('is Ready, labelled, and tainted so that only namespaces asking for it get pods', () => {
    const node = JSON.parse(k(['get', 'node', local.node!.name, '-o', 'json']).stdout);
    expect(node.status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
    expect(node.metadata.labels[NODE_LABEL]).toBe('true');
    expect(node.spec.taints).toContainEqual({ key: NODE_LABEL, value: 'true', effect: 'NoSchedule' });
    expect(node.status.addresses).toContainEqual({ type: 'InternalIP', address: NODE_IP });
  });

  it('has no route out of its network namespace', () => {
    const links = inNodeNetns(['ip', '-o', 'link', 'show']).stdout.split('\n').filter(Boolean)
      .map((l) => l.split(': ')[1].split('@')[0]);
    expect(links.filter((l) => l !== 'lo' && l !== BRIDGE && !l.startsWith('veth'))).toEqual([]);
    const routes = inNodeNetns(['ip', '-4', 'route', 'show', 'table', 'all']).stdout;
    expect(routes).not.toMatch(/^default/m);
    for (const line of routes.split('\n').filter((l) => l && !l.startsWith('local ') && !l.startsWith('broadcast '))) {
      expect(line.startsWith(`${POD_CIDR} dev ${BRIDGE}`) || line.startsWith(`${SERVICE_CIDR} dev ${BRIDGE}`), line).toBe(true);
    }
    for (const dst of ['1.1.1.1', '10.0.0.1', '172.16.0.1', '192.168.0.1', '169.254.169.254']) {
      const r = inNodeNetns(['ip', 'route', 'get', dst]);
      expect(r.code, `route to ${dst}: ${r.stdout}`).not.toBe(0);
      expect(r.stderr).toMatch(/unreachable/i);
    }
    expect(inNodeNetns(['ip', '-6', 'route', 'get', '2001:db8::1']).code).not.toBe(0);
  });

  it('keeps its pod cgroups under the run\'s own cgroup root, not the machine-wide kubepods', () => {
    // kubelet's QoS cgroups exist under the run's root in every hierarchy kubelet manages ...
    const managed = /\/(cpu|cpuacct|cpuset|memory|pids|systemd|[^/]*,[^/]*)$/;
    const roots = cgroupRoots();
    const mine = runCgroupDirs(local.node!.cgroupRoot, roots.length === 1 ? roots : roots.filter((r) => managed.test(r)));
    expect(mine.length).toBeGreaterThan(0);
    for (const d of mine) {
      for (const qos of ['besteffort', 'burstable']) expect(fs.existsSync(path.join(d, KUBELET_CGROUP, qos)), `${d}/${KUBELET_CGROUP}/${qos}`).toBe(true);
    }
    // ... and nothing appeared at the root of any hierarchy.
    expect(cgroupRoots().map((r) => path.join(r, KUBELET_CGROUP)).filter((d) => fs.existsSync(d))).toEqual(machineKubepods);
    const config = JSON.parse(fs.readFileSync(path.join(path.dirname(local.node!.logDir), 'kubelet.json'), 'utf8'));
    expect(config.cgroupRoot).toBe(`/${local.node!.cgroupRoot}`);
  });

  it('keeps kubelet\'s hard-coded directories and the container mounts in its own mount namespace', () => {
    const dir = path.dirname(local.node!.logDir);
    // kubelet wrote its pod log and state directories into the run's own /var/log and /var/lib ...
    for (const d of ['/var/log/pods', '/var/lib/kubelet']) expect(fs.existsSync(path.join(privateDir(dir, path.dirname(d)), path.basename(d))), d).toBe(true);
    // ... and those of the host are as they were (entry counts: nothing added or removed).
    expect(hostFixedDirs()).toEqual(fixedBefore);
    // The host sees only the namespace's holder under the node's directory, not kubelet's or containerd's mounts.
    expect(mountsUnder(dir).sort()).toEqual([path.dirname(mountNsFile(dir)), mountNsFile(dir)].sort());
  });

  it('keeps kubelet and kube-proxy iptables rules inside the namespace; the host is unchanged', () => {
    expect(inNodeNetns(['iptables-save']).stdout).toMatch(/^:KUBE-SERVICES /m);
    expect(hostNetworkSnapshot()).toBe(local.node!.hostBefore);
  });
});
