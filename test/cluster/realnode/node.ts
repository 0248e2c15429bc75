/**
 * A real Kubernetes node for the cluster suite: containerd + runc + CNI bridge, kubelet and
 * kube-proxy, joined to the suite's own kube-apiserver (controlplane.ts).
 *
 * Isolation: the node runs inside a network namespace this run creates (`slipway-<pid>`) that
 * holds only loopback and the node's bridge: no default route, no route to any address outside it.
 * The API server (host loopback) and the node meet through Unix sockets (proxy.mjs), not through an
 * interface: kubelet and kube-proxy dial 127.0.0.1:<api port> inside the namespace, which a proxy
 * forwards to a socket that a host-side proxy forwards to the API server; the API server reaches
 * kubelet (logs, exec) through its egress selector, an HTTP CONNECT proxy on a socket inside the
 * namespace. kubelet's and kube-proxy's iptables rules and the CNI plugin's sysctls therefore live
 * in the namespace and vanish with it; the host's interfaces and iptables are never touched.
 *
 * containerd and kubelet also run in the node's own mount namespace (mountns.ts: kubelet's
 * hard-coded /var/log/pods and /var/lib/kubelet are the run's own, container mounts stay off the
 * host), and kubelet's cgroup root is the run's own (cgroups.ts: `/slipway-<pid>`), so two runs on
 * one machine do not share pod cgroups or pod logs. Machine-wide changes that cannot be avoided
 * (kubelet's kernel sysctls) are recorded before and undone by stop(), which then checks that
 * nothing is left: no process, mount, namespace, cgroup of the run, and the host network state equal to before.
 *
 * Usage (global-setup.ts): `const plan = planNode()` before the control plane starts (it gives the
 * API server flags and tokens), then `startNode(plan, kubeconfig)`, and `node.stop()` at the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TOOLS_BIN, kubectl, tail } from '../controlplane';
import {
  BRIDGE, NODE_IP, NODE_LABEL, NODE_NAME, PAUSE_IMAGE, SERVICE_CIDR, COREDNS_USER, KUBE_ROUTER_USER, containerdConfig, kubeRouterRbac, cniConfig, corednsRbac, corefile, egressSelectorConfig,
  kubeProxyConfig, kubeletConfig, tokenKubeconfig, type NodePaths,
} from './config';
import { createRunCgroup, removeRunCgroup, runCgroupName } from './cgroups';
import { createMountNs, inNodeNamespaces, removeMountNs } from './mountns';
import {
  KUBELET_FIXED_DIRS, hostNetworkSnapshot, mountsUnder, out, pidsMentioning, readSysctls, restoreSysctls,
} from './host';

/** The pause image archive built by `scripts/bootstrap-tools.sh node`. */
export const PAUSE_TAR = path.join(TOOLS_BIN, '..', 'share', 'pause.tar');
const PROXY = path.join(__dirname, 'proxy.mjs');
/** CoreDNS (`scripts/bootstrap-tools.sh coredns`): the node's cluster DNS when built. */
export const COREDNS = path.join(TOOLS_BIN, 'coredns');
/** kube-router (`scripts/bootstrap-tools.sh kube-router`): the NetworkPolicy engine, when a file asks for it. */
export const KUBE_ROUTER = path.join(TOOLS_BIN, 'kube-router');

/** Why NetworkPolicies cannot be enforced on the node (undefined when they can). */
export function policyEngineUnavailable(): string | undefined {
  const missing = [KUBE_ROUTER, '/usr/sbin/ipset', '/proc/sys/net/bridge/bridge-nf-call-iptables'].filter((f) => !fs.existsSync(f));
  return missing.length ? `missing ${missing.join(', ')}: run scripts/bootstrap-tools.sh node kube-router (br_netfilter for the last)` : undefined;
}

/** Why a real node cannot run here (undefined when it can). */
export function nodeUnavailable(): string | undefined {
  if (process.env.SLIPWAY_REAL_NODE === '0') return 'SLIPWAY_REAL_NODE=0';
  if (process.getuid?.() !== 0) return 'not root (a node needs namespaces, mounts and cgroups)';
  const need = [path.join(TOOLS_BIN, 'kubelet'), path.join(TOOLS_BIN, 'kube-proxy'), PAUSE_TAR,
    '/usr/bin/containerd', '/usr/bin/ctr', '/usr/sbin/runc', '/usr/lib/cni/bridge', '/usr/lib/cni/host-local',
    '/usr/lib/cni/loopback', '/usr/bin/nsenter'];
  const missing = need.filter((f) => !fs.existsSync(f));
  if (missing.length) return `missing ${missing.join(', ')}: run scripts/bootstrap-tools.sh node k8s`;
  if (out('ip', ['-V']) === '' && spawnSync('ip', ['-V']).status !== 0) return 'iproute2 (ip) not found';
  return undefined;
}

/** What the control plane needs to know before it starts, and the node's private paths. */
export interface NodePlan extends NodePaths {
  readonly netns: string;
  readonly apiServerArgs: string[];
  readonly tokens: string[];
  readonly kubeletToken: string;
  readonly proxyToken: string;
  /** Token of the node's CoreDNS; undefined when CoreDNS is not built (Service names then do not resolve). */
  readonly dnsToken?: string;
  /** Token of kube-router (started only by files that enforce NetworkPolicies). */
  readonly policyToken: string;
  readonly egressSocket: string;
  readonly apiSocket: string;
  readonly logDir: string;
}

/** Where planNode() saves the plan for the test files that start the node. */
export const PLAN_FILE = 'plan.json';

/** Reads a plan saved by planNode(). */
export function readPlan(dir: string): NodePlan {
  return JSON.parse(fs.readFileSync(path.join(dir, PLAN_FILE), 'utf8'));
}

/** Creates the node's directory, its kubelet-client CA and the API server flags. Nothing runs yet. */
export function planNode(): NodePlan {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-node-'));
  fs.mkdirSync(path.join(dir, 'pki'));
  fs.mkdirSync(path.join(dir, 'logs'));
  const pki = (n: string) => path.join(dir, 'pki', n);
  const openssl = (...args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: path.join(dir, 'pki'), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  // The API server's client certificate for kubelet, from a CA that only kubelet trusts.
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'kubelet-client-ca.key', '-out',
    'kubelet-client-ca.crt', '-days', '2', '-subj', '/CN=slipway-kubelet-client-ca');
  fs.writeFileSync(pki('client.ext'), 'extendedKeyUsage=clientAuth\n');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'apiserver-kubelet-client.key', '-out',
    'apiserver-kubelet-client.csr', '-subj', '/O=system:masters/CN=kube-apiserver-kubelet-client');
  openssl('x509', '-req', '-in', 'apiserver-kubelet-client.csr', '-CA', 'kubelet-client-ca.crt', '-CAkey',
    'kubelet-client-ca.key', '-CAcreateserial', '-out', 'apiserver-kubelet-client.crt', '-days', '2',
    '-extfile', 'client.ext');
  const egressSocket = path.join(dir, 'egress.sock');
  fs.writeFileSync(path.join(dir, 'egress.json'), egressSelectorConfig(egressSocket));
  const kubeletToken = crypto.randomBytes(24).toString('hex');
  const proxyToken = crypto.randomBytes(24).toString('hex');
  const policyToken = crypto.randomBytes(24).toString('hex');
  const dnsToken = fs.existsSync(COREDNS) ? crypto.randomBytes(24).toString('hex') : undefined;
  const resolvConf = path.join(dir, 'resolv.conf');
  fs.writeFileSync(resolvConf, '# no resolver: the test node has no route out of its namespace\n');
  const plan: NodePlan = {
    dir,
    netns: `slipway-${process.pid}`,
    cgroupRoot: runCgroupName(process.pid),
    containerdSocket: path.join(dir, 'containerd', 'containerd.sock'),
    resolvConf,
    kubeletClientCa: pki('kubelet-client-ca.crt'),
    egressSocket,
    apiSocket: path.join(dir, 'api.sock'),
    logDir: path.join(dir, 'logs'),
    kubeletToken,
    proxyToken,
    dnsToken,
    policyToken,
    tokens: [
      `${policyToken},${KUBE_ROUTER_USER},${KUBE_ROUTER_USER}`,
      `${kubeletToken},system:node:${NODE_NAME},system:node:${NODE_NAME},"system:nodes"`,
      `${proxyToken},system:kube-proxy,system:kube-proxy`,
      ...(dnsToken ? [`${dnsToken},${COREDNS_USER},${COREDNS_USER}`] : []),
    ],
    apiServerArgs: [
      `--egress-selector-config-file=${path.join(dir, 'egress.json')}`,
      '--kubelet-preferred-address-types=InternalIP',
      `--kubelet-client-certificate=${pki('apiserver-kubelet-client.crt')}`,
      `--kubelet-client-key=${pki('apiserver-kubelet-client.key')}`,
      // Namespaces annotated for the real node get its node selector and toleration (realpods.ts).
      '--enable-admission-plugins=NodeRestriction,PodNodeSelector,PodTolerationRestriction',
    ],
  };
  fs.writeFileSync(path.join(dir, PLAN_FILE), JSON.stringify(plan), { mode: 0o600 });
  return plan;
}

export interface RealNode {
  readonly name: string;
  readonly netns: string;
  readonly containerdSocket: string;
  readonly logDir: string;
  /** The run's cgroup (kubelet's cgroupRoot, realnode/cgroups.ts): `slipway-<pid>`. */
  readonly cgroupRoot: string;
  /** Host network state before the node started (compare with hostNetworkSnapshot()). */
  readonly hostBefore: string;
  /** Stops everything and undoes machine-wide changes (idempotent). */
  stop(): void;
  /**
   * After stop() and after the control plane stopped (the API server's flags name the node's
   * directory): what was left behind, empty when the machine is as before. Removes the directory.
   */
  leftovers(): string[];
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function run(cmd: string, args: string[], what = `${cmd} ${args.join(' ')}`): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${r.stderr}${r.error ?? ''}`);
  return r.stdout;
}

/** Starts the node against the control plane in `kubeconfig` (planned with planNode()). */
export interface NodeOptions {
  /**
   * Enforce NetworkPolicies: kube-router's firewall (no routing, no service proxy) in the
   * namespace, and bridged pod traffic through iptables (`bridge-nf-call-iptables`, a per-namespace
   * sysctl of br_netfilter, set inside the node's namespace only).
   */
  readonly networkPolicy?: boolean;
}

export async function startNode(plan: NodePlan, adminKubeconfig: string, timeoutMs = 120_000, opts: NodeOptions = {}): Promise<RealNode> {
  const started = Date.now();
  const { dir, netns, logDir } = plan;
  const inNs = ['--net=' + path.join('/run/netns', netns), '--'];
  const admin = JSON.parse(fs.readFileSync(adminKubeconfig, 'utf8'));
  const server = new URL(admin.clusters[0].cluster.server as string);
  const ca = admin.clusters[0].cluster['certificate-authority'] as string;
  const apiPort = server.port;

  // Machine state to restore or compare.
  const hostBefore = hostNetworkSnapshot();
  const sysctls = readSysctls();
  // kubelet's hard-coded directories live in the node's mount namespace (mountns.ts): on the host,
  // those that do not exist must not appear.
  const absentDirs = KUBELET_FIXED_DIRS.filter((d) => !fs.existsSync(d));
  let ownMountNs = false;
  let ownCgroup = false;
  const procs: { name: string; p: ChildProcess }[] = [];
  let stopped = false;

  const start = (name: string, cmd: string, args: string[]) => {
    const log = fs.openSync(path.join(logDir, `${name}.log`), 'w');
    const p = spawn(cmd, args, { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    procs.push({ name, p });
    return p;
  };
  const ctr = (...args: string[]) => spawnSync('ctr', ['--address', plan.containerdSocket, '-n', 'k8s.io', ...args], { encoding: 'utf8', timeout: 60_000 });
  const waitFor = async (what: string, ready: () => boolean) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const { name, p } of procs) {
        if (p.exitCode !== null || p.signalCode !== null) throw new Error(`${name} exited (${p.exitCode ?? p.signalCode})\n${tail(logDir, name)}`);
      }
      if (ready()) return;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`${what} not ready after ${timeoutMs} ms\n${tail(logDir, 'kubelet')}`);
  };

  const stopProcess = (name: string) => {
    for (const { name: n, p } of procs) {
      if (n !== name || p.exitCode !== null || p.signalCode !== null) continue;
      p.kill('SIGTERM');
      for (let i = 0; i < 50 && alive(p.pid); i++) sleep(100);
      if (alive(p.pid)) p.kill('SIGKILL');
    }
  };

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    process.off('exit', onExit);
    // 1. Pods go through kubelet while it runs (containers stopped, CNI DEL).
    kubectl(adminKubeconfig, ['delete', 'pods', '-A', `--field-selector=spec.nodeName=${NODE_NAME}`,
      '--grace-period=1', '--wait=false']);
    for (let i = 0; i < 60; i++) {
      const r = kubectl(adminKubeconfig, ['get', 'pods', '-A', `--field-selector=spec.nodeName=${NODE_NAME}`, '-o', 'name']);
      if (r.code !== 0 || r.stdout.trim() === '') break;
      sleep(500);
    }
    kubectl(adminKubeconfig, ['delete', 'node', NODE_NAME, '--wait=false']);
    // 2. Node agents, then whatever containerd still runs, then containerd and its shims.
    stopProcess('kube-proxy');
    stopProcess('kube-router');
    stopProcess('coredns');
    stopProcess('kubelet');
    if (procs.some(({ name, p }) => name === 'containerd' && p.exitCode === null)) {
      const ids = (args: string[]) => ctr(...args).stdout.split('\n').map((l) => l.trim()).filter(Boolean);
      for (const t of ids(['tasks', 'ls', '-q'])) ctr('tasks', 'kill', '-s', 'SIGKILL', t);
      sleep(300);
      for (const t of ids(['tasks', 'ls', '-q'])) ctr('tasks', 'delete', '-f', t);
      for (const c of ids(['containers', 'ls', '-q'])) ctr('containers', 'delete', c);
    }
    stopProcess('containerd');
    for (const pid of pidsMentioning(plan.containerdSocket)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    for (const n of ['egress-proxy', 'api-proxy-node', 'api-proxy-host']) stopProcess(n);
    // 3. The mount namespace (container roots, shm, pod network namespaces and volumes are mounted
    // inside it and go with it), then any mount left on the host, deepest first; then the network namespace.
    if (ownMountNs) removeMountNs(dir);
    for (const m of mountsUnder(dir)) {
      if (spawnSync('umount', [m]).status !== 0) spawnSync('umount', ['-l', m]);
    }
    spawnSync('ip', ['netns', 'delete', netns]);
    // 4. Machine-wide state.
    restoreSysctls(sysctls);
    if (ownCgroup) removeRunCgroup(plan.cgroupRoot);
  };
  const leftovers = (): string[] => {
    stop();
    const left: string[] = [];
    // The API server's flags name files in dir too: look for the node's own paths only.
    const own = () => [plan.containerdSocket, path.join(dir, 'kubelet'), plan.apiSocket, plan.egressSocket,
      path.join(dir, 'kube-proxy'), path.join(dir, 'coredns'), path.join(dir, 'kube-router')].flatMap((m) => pidsMentioning(m));
    for (let i = 0; i < 20 && own().length; i++) sleep(250);
    const pids = [...new Set(own())];
    if (pids.length) left.push(`processes still running: ${pids.join(', ')}`);
    const mounts = mountsUnder(dir);
    if (mounts.length) left.push(`mounts left: ${mounts.join(', ')}`);
    if (fs.existsSync(path.join('/run/netns', netns))) left.push(`network namespace ${netns} left`);
    const appeared = absentDirs.filter((d) => fs.existsSync(d));
    if (appeared.length) left.push(`kubelet's directories appeared on the host (outside the node's mount namespace): ${appeared.join(', ')}`);
    const cg = ownCgroup ? removeRunCgroup(plan.cgroupRoot) : [];
    if (cg.length) left.push(`cgroups left: ${cg.join(', ')}`);
    const changed = Object.entries(readSysctls()).filter(([k, v]) => sysctls[k] !== v);
    if (changed.length) left.push(`sysctls changed: ${changed.map(([k, v]) => `${k}=${v} (was ${sysctls[k]})`).join(', ')}`);
    const after = hostNetworkSnapshot();
    if (after !== hostBefore) left.push(`host network state changed:\n${diffLines(hostBefore, after)}`);
    if (!left.length && process.env.SLIPWAY_KEEP_CLUSTER !== '1') {
      for (const d of ['containerd', 'kubelet', 'cni', 'var', 'mntns']) fs.rmSync(path.join(dir, d), { recursive: true, force: true });
    }
    return left;
  };
  const onExit = () => { stop(); };
  process.on('exit', onExit);

  try {
    // Network namespace: loopback and the node's bridge, nothing else; forwarding inside it only.
    run('ip', ['netns', 'add', netns]);
    const ns = (...args: string[]) => run('nsenter', [...inNs, ...args]);
    ns('ip', 'link', 'set', 'lo', 'up');
    ns('ip', 'link', 'add', BRIDGE, 'type', 'bridge');
    ns('ip', 'addr', 'add', `${NODE_IP}/24`, 'dev', BRIDGE);
    ns('ip', 'link', 'set', BRIDGE, 'up');
    // ClusterIPs from the node itself (a request loop run in the namespace): a locally sent packet
    // needs a route before kube-proxy's OUTPUT rules DNAT it to a pod. The bridge is the only link.
    ns('ip', 'route', 'add', SERVICE_CIDR, 'dev', BRIDGE, 'src', NODE_IP);
    ns('sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');

    // The API server, across the namespace boundary through two Unix sockets.
    start('api-proxy-host', process.execPath, [PROXY, 'unix-to-tcp', plan.apiSocket, server.hostname, apiPort]);
    start('api-proxy-node', 'nsenter', [...inNs, process.execPath, PROXY, 'tcp-to-unix', '127.0.0.1', apiPort, plan.apiSocket]);
    start('egress-proxy', 'nsenter', [...inNs, process.execPath, PROXY, 'connect', plan.egressSocket, NODE_IP.replace(/\d+$/, '')]);

    // Configuration files.
    const write = (rel: string, text: string) => {
      const f = path.join(dir, rel);
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, text, { mode: 0o600 });
      return f;
    };
    const inside = `https://127.0.0.1:${apiPort}`;
    write('containerd/config.toml', containerdConfig(plan));
    write('cni/net.d/10-slipway.conflist', cniConfig(dir));
    const kubeletKc = write('kubelet.kubeconfig', tokenKubeconfig(inside, ca, `system:node:${NODE_NAME}`, plan.kubeletToken));
    const proxyKc = write('kube-proxy.kubeconfig', tokenKubeconfig(inside, ca, 'system:kube-proxy', plan.proxyToken));
    const kubeletCfg = write('kubelet.json', kubeletConfig(plan, plan.dnsToken ? NODE_IP : undefined));
    const proxyCfg = write('kube-proxy.json', kubeProxyConfig(proxyKc));

    // The node's identity: the built-in system:node role (RBAC only in this control plane).
    kubectl(adminKubeconfig, ['create', 'clusterrolebinding', 'slipway-real-node', '--clusterrole=system:node',
      `--user=system:node:${NODE_NAME}`]);

    ownMountNs = true; // before: a half-made namespace is released too
    const mountNs = createMountNs(dir);
    const inNodeNs = inNodeNamespaces(netns, mountNs);
    start('containerd', 'nsenter', [...inNodeNs, '/usr/bin/containerd', '--config', path.join(dir, 'containerd/config.toml')]);
    await waitFor('containerd', () => spawnSync('ctr', ['--address', plan.containerdSocket, 'version']).status === 0);
    const imp = ctr('images', 'import', PAUSE_TAR);
    if (imp.status !== 0) throw new Error(`importing ${PAUSE_TAR}: ${imp.stderr}`);

    ownCgroup = true; // before: a partly created tree is removed too
    createRunCgroup(plan.cgroupRoot);
    start('kubelet', 'nsenter', [...inNodeNs, path.join(TOOLS_BIN, 'kubelet'), `--config=${kubeletCfg}`,
      `--kubeconfig=${kubeletKc}`, `--root-dir=${path.join(dir, 'kubelet')}`, `--hostname-override=${NODE_NAME}`,
      `--node-ip=${NODE_IP}`, `--node-labels=${NODE_LABEL}=true`, `--pod-infra-container-image=${PAUSE_IMAGE}`, '--v=1']);
    start('kube-proxy', 'nsenter', [...inNs, path.join(TOOLS_BIN, 'kube-proxy'), `--config=${proxyCfg}`, '--v=1']);
    if (plan.dnsToken) {
      const r = kubectl(adminKubeconfig, ['apply', '-f', '-'], corednsRbac());
      if (r.code !== 0) throw new Error(`CoreDNS RBAC: ${r.stderr}`);
      const dnsKc = write('coredns/kubeconfig', tokenKubeconfig(inside, ca, COREDNS_USER, plan.dnsToken));
      const conf = write('coredns/Corefile', corefile(dnsKc));
      start('coredns', 'nsenter', [...inNs, COREDNS, '-conf', conf]);
    }
    await waitFor(`node ${NODE_NAME} Ready`, () => kubectl(adminKubeconfig, ['get', 'node', NODE_NAME, '-o',
      'jsonpath={.status.conditions[?(@.type=="Ready")].status}']).stdout.trim() === 'True');
    if (opts.networkPolicy) {
      ns('sysctl', '-q', '-w', 'net.bridge.bridge-nf-call-iptables=1');
      const r = kubectl(adminKubeconfig, ['apply', '-f', '-'], kubeRouterRbac());
      if (r.code !== 0) throw new Error(`kube-router RBAC: ${r.stderr}`);
      const krKc = write('kube-router/kubeconfig', tokenKubeconfig(inside, ca, KUBE_ROUTER_USER, plan.policyToken));
      start('kube-router', 'nsenter', [...inNs, KUBE_ROUTER, `--kubeconfig=${krKc}`, `--hostname-override=${NODE_NAME}`,
        '--run-firewall=true', '--run-router=false', '--run-service-proxy=false', '--enable-cni=false',
        '--enable-ipv6=false', `--service-cluster-ip-range=${SERVICE_CIDR}`, '--health-port=0', '--iptables-sync-period=10s', '--v=1']);
      // Its chains exist once its first sync is done (it needs the Node object: started after Ready).
      await waitFor('kube-router firewall', () => spawnSync('nsenter', [...inNs, 'iptables', '-S', 'KUBE-ROUTER-FORWARD']).status === 0);
    }
    console.log(`[realnode] ${NODE_NAME} Ready in ${Date.now() - started} ms (netns ${netns}, logs ${logDir})`);
  } catch (err) {
    stop();
    const left = leftovers().filter((l) => !l.startsWith('processes'));
    throw new Error(`${String(err)}${left.length ? `\ncleanup left: ${left.join('; ')}` : ''}`);
  }
  return { name: NODE_NAME, netns, containerdSocket: plan.containerdSocket, logDir, cgroupRoot: plan.cgroupRoot, hostBefore, stop, leftovers };
}

/** Whether a pid runs (a zombie, an exited child not yet reaped by our blocked event loop, does not). */
function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function diffLines(a: string, b: string): string {
  const sa = new Set(a.split('\n'));
  const sb = new Set(b.split('\n'));
  return [...[...sa].filter((l) => !sb.has(l)).map((l) => `- ${l}`), ...[...sb].filter((l) => !sa.has(l)).map((l) => `+ ${l}`)].join('\n');
}
