/**
 * A local Kubernetes control plane for the cluster test suite, built from real components:
 * etcd + kube-apiserver + kube-controller-manager + kube-scheduler + kwok (fake nodes that make
 * pods Running/Ready). Binaries come from `scripts/bootstrap-tools.sh` (cached outside the repo).
 *
 * When KUBECONFIG points at an existing cluster (e.g. kind), nothing is started: that cluster is
 * used as is, and `LOCAL_CONTROL_PLANE` is false so tests needing local-only features can skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Where bootstrap-tools.sh links the binaries. */
export const TOOLS_BIN = path.join(
  process.env.SLIPWAY_TOOLS_DIR ?? path.join(os.homedir(), '.cache', 'slipway-tools'),
  'bin',
);

/** kwok's default node/pod stages (the kwok binary has none built in), written by bootstrap. */
const KWOK_STAGES = path.join(TOOLS_BIN, '..', 'share', 'kwok-stages.yaml');
/** The suite's own stage: `helm test` Pods complete (see the file). */
const HELM_TEST_STAGE = path.join(__dirname, 'kwok-helm-test-stage.yaml');

/** An existing cluster given through KUBECONFIG (the harness must not start anything then). */
export const EXTERNAL_KUBECONFIG: string | undefined =
  process.env.KUBECONFIG && fs.existsSync(process.env.KUBECONFIG) ? process.env.KUBECONFIG : undefined;

const COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'];

/** True when the local control plane will be used (no external KUBECONFIG). */
export const LOCAL_CONTROL_PLANE = EXTERNAL_KUBECONFIG === undefined;

/** Binaries of the local control plane that are missing from TOOLS_BIN. */
export function missingComponents(): string[] {
  const missing = [...COMPONENTS, 'kubectl'].filter((c) => !fs.existsSync(path.join(TOOLS_BIN, c)));
  return fs.existsSync(KWOK_STAGES) ? missing : [...missing, 'kwok stages'];
}

export interface Cluster {
  /** Path of a kubeconfig with cluster-admin rights. */
  readonly kubeconfig: string;
  /** True when this harness started the cluster (false for an external KUBECONFIG). */
  readonly local: boolean;
  /** Directory holding each component's log (local clusters only). */
  readonly logDir?: string;
  /** Stops every process and removes temporary files; safe to call twice. */
  stop(): Promise<void>;
}

/** Uses the cluster in KUBECONFIG if there is one, otherwise starts a local control plane. */
export async function useCluster(opts: StartOptions = {}): Promise<Cluster> {
  if (EXTERNAL_KUBECONFIG) return { kubeconfig: EXTERNAL_KUBECONFIG, local: false, stop: async () => {} };
  return startControlPlane(opts);
}

export interface StartOptions {
  /** Readiness timeout per component (ms). @default 90_000 */
  readonly timeoutMs?: number;
  /** Number of kwok fake nodes. @default 2 */
  readonly nodes?: number;
  /** Keep the temp dir (logs, certs) after stop() for debugging. @default SLIPWAY_KEEP_CLUSTER=1 */
  readonly keep?: boolean;
  /** More kube-apiserver flags (the real test node's, see realnode/node.ts). @default none */
  readonly apiServerArgs?: readonly string[];
  /** More lines of the API server's static token file (`token,user,uid,"groups"`). @default none */
  readonly tokens?: readonly string[];
}

// ---- process bookkeeping: everything started is killed on stop(), exit, SIGINT and SIGTERM ----
const live = new Set<{ procs: ChildProcess[]; dir: string; keep: boolean }>();
let handlersInstalled = false;
function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const killAll = () => {
    for (const cp of live) {
      for (const p of cp.procs) if (p.exitCode === null) p.kill('SIGKILL');
      if (!cp.keep) fs.rmSync(cp.dir, { recursive: true, force: true });
    }
    live.clear();
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      killAll();
      process.exit(128 + (os.constants.signals[sig] ?? 1));
    });
  }
}

/**
 * Last line of defence when this process dies without running its exit handlers (SIGKILL, crash):
 * a detached shell that waits for us to go, then kills the components listed in <dir>/pids (only
 * if the pid still runs that binary) and removes the temp dir.
 */
function startWatchdog(dir: string, keep: boolean): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done
    [ -f "$0/pids" ] && while read -r pid exe; do
      [ "$(readlink /proc/$pid/exe 2>/dev/null)" = "$exe" ] && kill -9 "$pid"
    done < "$0/pids"
    ${keep ? '' : 'rm -rf "$0"'}`;
  const w = spawn('sh', ['-c', script, dir], { detached: true, stdio: 'ignore' });
  w.unref();
  return w;
}

/** Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on loopback. */
export async function startControlPlane(opts: StartOptions = {}): Promise<Cluster> {
  const missing = missingComponents();
  if (missing.length) {
    throw new Error(`missing ${missing.join(', ')} in ${TOOLS_BIN}: run scripts/bootstrap-tools.sh`);
  }
  const timeoutMs = opts.timeoutMs ?? 90_000;
  const keep = opts.keep ?? process.env.SLIPWAY_KEEP_CLUSTER === '1';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-cp-'));
  const logDir = path.join(dir, 'logs');
  fs.mkdirSync(logDir);
  const state = { procs: [] as ChildProcess[], dir, keep };
  installExitHandlers();
  live.add(state);
  const watchdog = startWatchdog(dir, keep);

  const stop = async () => {
    if (!live.has(state)) return;
    live.delete(state);
    // Reverse start order: the API server's clients first, etcd last.
    for (const p of [...state.procs].reverse()) await terminate(p);
    watchdog.kill('SIGKILL');
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    const pki = makePki(dir, opts.tokens ?? []);
    const [etcdClient, etcdPeer, apiPort, kwokPort] = await freePorts(4);
    const run = (name: string, args: string[]) => {
      const log = fs.openSync(path.join(logDir, `${name}.log`), 'w');
      const bin = path.join(TOOLS_BIN, name);
      const p = spawn(bin, args, { stdio: ['ignore', log, log] });
      fs.closeSync(log);
      state.procs.push(p);
      fs.appendFileSync(path.join(dir, 'pids'), `${p.pid} ${fs.realpathSync(bin)}\n`);
      return p;
    };
    const failIfExited = (name: string, p: ChildProcess) => () => {
      if (p.exitCode !== null || p.signalCode !== null) {
        throw new Error(`${name} exited (${p.exitCode ?? p.signalCode})\n${tail(logDir, name)}`);
      }
    };

    // etcd: single member, loopback only, data in the temp dir.
    const etcd = run('etcd', [
      '--name=slipway', `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=slipway=http://127.0.0.1:${etcdPeer}`,
      '--log-level=warn',
    ]);
    await waitFor('etcd', logDir, timeoutMs, failIfExited('etcd', etcd), async () =>
      (await get(`http://127.0.0.1:${etcdClient}/health`)).includes('"health":"true"'));

    // kube-apiserver: secure port with our CA-signed cert, static admin token, RBAC,
    // PodSecurity admission (on by default), privileged pods allowed so that PSS decides.
    // Native sidecars (init containers with restartPolicy Always) are alpha in 1.28, behind the
    // SidecarContainers gate (beta and on by default from 1.29): Slipway's native-sidecar mode
    // documents the same requirement for 1.28 clusters.
    const gates = '--feature-gates=SidecarContainers=true';
    const api = run('kube-apiserver', [
      gates,
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
      `--cert-dir=${path.join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${pki.serverCert}`, `--tls-private-key-file=${pki.serverKey}`,
      `--client-ca-file=${pki.caCert}`, `--token-auth-file=${pki.tokens}`,
      '--authorization-mode=RBAC', '--allow-privileged=true',
      '--service-cluster-ip-range=10.96.0.0/16',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.saPub}`, `--service-account-signing-key-file=${pki.saKey}`,
      '--profiling=false', '--v=1', ...(opts.apiServerArgs ?? []),
    ]);
    const kubeconfig = writeKubeconfig(dir, `https://127.0.0.1:${apiPort}`, pki);
    await waitFor('kube-apiserver', logDir, timeoutMs, failIfExited('kube-apiserver', api), async () =>
      (await get(`https://127.0.0.1:${apiPort}/readyz`, pki)) === 'ok');

    // Controllers (Deployments -> ReplicaSets -> Pods, Jobs, GC, service accounts, namespaces).
    const kcm = run('kube-controller-manager', [
      gates, `--kubeconfig=${kubeconfig}`, '--leader-elect=false', '--secure-port=0',
      `--service-account-private-key-file=${pki.saKey}`, `--root-ca-file=${pki.caCert}`,
      '--controllers=*,-nodeipam', '--v=1',
    ]);
    const sched = run('kube-scheduler', [gates, `--kubeconfig=${kubeconfig}`, '--leader-elect=false', '--secure-port=0']);
    // kwok: only manages nodes annotated kwok.x-k8s.io/node=fake, and their pods.
    const kwok = run('kwok', [
      `--kubeconfig=${kubeconfig}`, `--config=${KWOK_STAGES},${HELM_TEST_STAGE}`, '--node-lease-duration-seconds=40',
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--cidr=10.244.0.1/16', '--node-ip=10.244.0.1', `--server-address=127.0.0.1:${kwokPort}`,
    ]);
    const anyExited = () => {
      for (const [n, p] of [['kube-controller-manager', kcm], ['kube-scheduler', sched], ['kwok', kwok]] as const) {
        failIfExited(n, p)();
      }
    };

    createFakeNodes(kubeconfig, opts.nodes ?? 2);
    // The service account controller creates "default" in each namespace once KCM runs.
    await waitFor('kube-controller-manager', logDir, timeoutMs, anyExited, async () =>
      kubectl(kubeconfig, ['get', 'serviceaccount', 'default', '-n', 'default']).code === 0);
    await waitFor('kwok', logDir, timeoutMs, anyExited, async () => {
      const r = kubectl(kubeconfig, ['get', 'nodes', '-o', 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}']);
      const ready = r.stdout.split(/\s+/).filter((s) => s === 'True').length;
      return r.code === 0 && ready === (opts.nodes ?? 2);
    });
    return { kubeconfig, local: true, logDir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

// ---- helpers ----------------------------------------------------------------------------------

export interface RunResult { code: number; stdout: string; stderr: string }

/** Runs kubectl (the bootstrapped one, else the one on PATH) against a kubeconfig. */
export function kubectl(kubeconfig: string, args: string[], input?: string): RunResult {
  const bin = fs.existsSync(path.join(TOOLS_BIN, 'kubectl')) ? path.join(TOOLS_BIN, 'kubectl') : 'kubectl';
  const r = spawnSync(bin, [`--kubeconfig=${kubeconfig}`, ...args], { input, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/** The last lines of a component's log, for error messages. */
export function tail(logDir: string, name: string, lines = 25): string {
  const file = path.join(logDir, `${name}.log`);
  if (!fs.existsSync(file)) return `(no log for ${name})`;
  return `--- last ${lines} lines of ${file} ---\n` + fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

async function waitFor(name: string, logDir: string, timeoutMs: number, check: () => void, ready: () => Promise<boolean>) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    check();
    try {
      if (await ready()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} not ready after ${timeoutMs} ms${last ? ` (${String(last)})` : ''}\n${tail(logDir, name)}`);
}

async function terminate(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill('SIGTERM');
  const timer = setTimeout(() => p.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Ports that were free a moment ago (listen on :0, read, close). */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

interface Pki { caCert: string; serverCert: string; serverKey: string; saKey: string; saPub: string; tokens: string; token: string }

/** CA, API server serving cert (127.0.0.1/localhost), service-account key pair, admin token. */
function makePki(dir: string, tokens: readonly string[]): Pki {
  const d = path.join(dir, 'pki');
  fs.mkdirSync(d);
  const f = (n: string) => path.join(d, n);
  const openssl = (...args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: d, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt',
    '-days', '2', '-subj', '/CN=slipway-test-ca');
  fs.writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n' +
    'extendedKeyUsage=serverAuth\n');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=kube-apiserver');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext');
  openssl('genrsa', '-out', 'sa.key', '2048');
  openssl('rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
  const token = `slipway-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  fs.writeFileSync(f('tokens.csv'), [`${token},admin,admin,"system:masters"`, ...tokens].join('\n') + '\n', { mode: 0o600 });
  return { caCert: f('ca.crt'), serverCert: f('server.crt'), serverKey: f('server.key'),
    saKey: f('sa.key'), saPub: f('sa.pub'), tokens: f('tokens.csv'), token };
}

function writeKubeconfig(dir: string, server: string, pki: Pki): string {
  const file = path.join(dir, 'kubeconfig');
  fs.writeFileSync(file, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'slipway',
    clusters: [{ name: 'slipway', cluster: { server, 'certificate-authority': pki.caCert } }],
    users: [{ name: 'admin', user: { token: pki.token } }],
    contexts: [{ name: 'slipway', context: { cluster: 'slipway', user: 'admin' } }],
  }, null, 2), { mode: 0o600 });
  return file;
}

/** Nodes kwok manages (annotation kwok.x-k8s.io/node=fake); status is accepted on create. */
function createFakeNodes(kubeconfig: string, count: number): void {
  // ephemeral-storage too: pods that request it (emptyDir-heavy workloads) must fit, as on real nodes.
  const resources = { cpu: '32', memory: '256Gi', pods: '110', 'ephemeral-storage': '200Gi' };
  const items = Array.from({ length: count }, (_, i) => ({
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: `kwok-node-${i}`,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { 'kubernetes.io/hostname': `kwok-node-${i}`, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
    },
    status: { allocatable: resources, capacity: resources },
  }));
  const r = kubectl(kubeconfig, ['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  if (r.code !== 0) throw new Error(`creating kwok nodes failed: ${r.stderr}`);
}

/** GET over http(s); for https, trusts our CA and sends the admin token. */
function get(url: string, pki?: Pki): Promise<string> {
  if (!pki) return fetch(url).then((r) => r.text());
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca: fs.readFileSync(pki.caCert), headers: { Authorization: `Bearer ${pki.token}` } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.setTimeout(5_000, () => req.destroy(new Error('timeout')));
  });
}
