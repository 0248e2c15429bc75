/**
 * Configuration files of the real test node: containerd, CNI, kubelet, kube-proxy, kubeconfigs,
 * and the API server's egress selector. Addresses live only inside the node's own network
 * namespace (see node.ts), so they cannot clash with the machine's.
 */

/** The node's name (kubelet --hostname-override, kube-proxy hostnameOverride). */
export const NODE_NAME = 'slipway-node';
/** The bridge inside the node's namespace, and its address: the node's InternalIP. */
export const BRIDGE = 'slw0';
export const NODE_IP = '10.231.0.1';
/** Pod addresses (host-local IPAM on the bridge). */
export const POD_CIDR = '10.231.0.0/24';
/** The control plane's Service range (controlplane.ts --service-cluster-ip-range). */
export const SERVICE_CIDR = '10.96.0.0/16';
/** Taint and label of the node: only namespaces that ask for the node get pods on it. */
export const NODE_LABEL = 'slipway.dev/real-node';
/** The sandbox image (scripts/bootstrap-tools.sh node). */
export const PAUSE_IMAGE = 'localhost/slipway/pause:v1';

export interface NodePaths {
  readonly dir: string;
  readonly containerdSocket: string;
  readonly resolvConf: string;
  readonly kubeletClientCa: string;
  /** The run's own cgroup (realnode/cgroups.ts), kubelet's `cgroupRoot`: `slipway-<pid>`. */
  readonly cgroupRoot: string;
}

/** containerd 1.6: all state under dir, CRI with runc and cgroupfs, the local sandbox image. */
export function containerdConfig(p: NodePaths): string {
  const d = p.dir;
  return `version = 2
root = "${d}/containerd/root"
state = "${d}/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]
[grpc]
  address = "${p.containerdSocket}"
[ttrpc]
  address = "${p.containerdSocket}.ttrpc"
[debug]
  address = "${d}/containerd/debug.sock"
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "${d}/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${PAUSE_IMAGE}"
  enable_selinux = false
  disable_apparmor = true
  # Root on these machines lacks CAP_SYS_RESOURCE: a negative oom_score_adj (sandboxes, Guaranteed
  # pods) makes runc fail with "can't get final child's PID from pipe: EOF". Clamp it instead.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        # runc, not crun: crun 1.8 refuses hybrid cgroup v1/v2 layouts.
        BinaryName = "/usr/sbin/runc"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${d}/cni/net.d"
    max_conf_num = 1
`;
}

/** CNI: the bridge plugin on the node's bridge, pods routed to the Service range only. */
export function cniConfig(dir: string): string {
  return JSON.stringify({
    cniVersion: '1.0.0',
    name: 'slipway-pods',
    plugins: [{
      type: 'bridge', bridge: BRIDGE, isGateway: true, ipMasq: false, hairpinMode: true,
      ipam: {
        type: 'host-local',
        ranges: [[{ subnet: POD_CIDR, gateway: NODE_IP }]],
        routes: [{ dst: SERVICE_CIDR }],
        dataDir: `${dir}/cni/ipam`,
      },
    }],
  }, null, 2);
}

/**
 * kubelet: cgroupfs, the node's containerd, x509 client auth for the API server only. With
 * `clusterDns`, pods get that resolver (the node's CoreDNS) and the cluster search domains.
 */
export function kubeletConfig(p: NodePaths, clusterDns?: string): string {
  return JSON.stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    cgroupDriver: 'cgroupfs',
    // Pods under /<run cgroup>/kubepods, not the machine-wide /kubepods another node may use.
    cgroupRoot: `/${p.cgroupRoot}`,
    failSwapOn: false,
    containerRuntimeEndpoint: `unix://${p.containerdSocket}`,
    address: NODE_IP,
    port: 10250,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: false }, x509: { clientCAFile: p.kubeletClientCa } },
    authorization: { mode: 'AlwaysAllow' },
    featureGates: { SidecarContainers: true },
    // The disk is shared with other work: never evict pods or collect the imported images.
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'nodefs.inodesFree': '1%', 'imagefs.available': '1%' },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    serializeImagePulls: false,
    // Never a resolver of the machine: pods get the node's CoreDNS (cluster names only) or nothing.
    resolvConf: p.resolvConf,
    ...(clusterDns ? { clusterDNS: [clusterDns] } : {}),
    clusterDomain: 'cluster.local',
    syncFrequency: '10s',
    nodeStatusUpdateFrequency: '5s',
    registerWithTaints: [{ key: NODE_LABEL, value: 'true', effect: 'NoSchedule' }],
  }, null, 2);
}

/** kube-proxy (iptables, inside the node's namespace): leaves global conntrack sysctls alone. */
export function kubeProxyConfig(kubeconfig: string): string {
  return JSON.stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig },
    mode: 'iptables',
    hostnameOverride: NODE_NAME,
    clusterCIDR: POD_CIDR,
    bindAddress: NODE_IP,
    healthzBindAddress: '127.0.0.1:10256',
    metricsBindAddress: '127.0.0.1:10249',
    nodePortAddresses: [`${NODE_IP}/32`],
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
    // masqueradeAll: a pod reaching a Service whose endpoint is on the same bridge gets its reply
    // back through the node's iptables without the (global) br_netfilter module. minSyncPeriod 0:
    // rules follow endpoint changes at once.
    iptables: { localhostNodePorts: false, masqueradeAll: true, syncPeriod: '10s', minSyncPeriod: '0s' },
  }, null, 2);
}

/** A kubeconfig with a bearer token. */
export function tokenKubeconfig(server: string, ca: string, user: string, token: string): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'node',
    clusters: [{ name: 'slipway', cluster: { server, 'certificate-authority': ca } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: 'node', context: { cluster: 'slipway', user } }],
  }, null, 2);
}

/** The API server reaches nodes (kubelet: logs, exec, port-forward) through an HTTP CONNECT proxy on a Unix socket. */
export function egressSelectorConfig(socket: string): string {
  return JSON.stringify({
    apiVersion: 'apiserver.k8s.io/v1beta1',
    kind: 'EgressSelectorConfiguration',
    egressSelections: [{ name: 'cluster', connection: { proxyProtocol: 'HTTPConnect', transport: { uds: { udsName: socket } } } }],
  }, null, 2);
}

/**
 * CoreDNS inside the node's namespace, on all its addresses there (port 53; the pods reach it on
 * the bridge address): only the cluster zone and reverse lookups, from the API server; no
 * forwarding, so a name outside the cluster is refused, never asked of anyone.
 */
export function corefile(kubeconfig: string): string {
  return `cluster.local:53 in-addr.arpa:53 {
    errors
    kubernetes cluster.local in-addr.arpa {
        kubeconfig ${kubeconfig} node
        pods disabled
    }
    cache 5
}
`;
}

/** The RBAC CoreDNS's kubernetes plugin needs: list/watch Services, EndpointSlices, Namespaces. */
export const COREDNS_USER = 'system:slipway-coredns';
export function corednsRbac(): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'slipway-coredns' },
      rules: [
        { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      ] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'slipway-coredns' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'slipway-coredns' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: COREDNS_USER }] },
  ] });
}

/** The RBAC kube-router's firewall needs (its own ClusterRole, bound to its token's user). */
export const KUBE_ROUTER_USER = 'system:slipway-kube-router';
export function kubeRouterRbac(): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'slipway-kube-router' },
      rules: [
        { apiGroups: [''], resources: ['namespaces', 'pods', 'services', 'nodes', 'endpoints'], verbs: ['list', 'get', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['list', 'get', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'get', 'watch'] },
      ] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'slipway-kube-router' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'slipway-kube-router' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: KUBE_ROUTER_USER }] },
  ] });
}
