/**
 * The security policy Slipway holds raw objects (`extraObjects`) and patched objects to: what each
 * departs from, and which `security.exceptions` allowance would permit it. Pod specs are held to
 * Pod Security Standards "restricted" (Kubernetes 1.28); RBAC objects to least privilege; the kind
 * itself to namespaced (a cluster-scoped object reaches beyond the release's namespace).
 */
import type { SecurityAllowance } from '../spec/types';
import { crdScope } from './k8s-schema';

/** One departure: where (a JSON pointer into the object), what, and the allowance that permits it. */
export interface PolicyFinding {
  readonly pointer: string;
  readonly message: string;
  readonly allow: SecurityAllowance;
}

/** Core kinds of Kubernetes 1.28 that are not namespaced. */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'PriorityClass', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'APIService', 'CSIDriver', 'CSINode',
  'VolumeAttachment', 'RuntimeClass', 'IngressClass', 'CertificateSigningRequest', 'FlowSchema',
  'PriorityLevelConfiguration', 'ClusterTrustBundle', 'ClusterCIDR', 'ComponentStatus', 'IPAddress',
  'ResourceClass', 'SelfSubjectReview',
]);

/** Where each pod-bearing kind keeps its pod template (metadata + spec). */
const POD_TEMPLATE_AT: Record<string, string> = {
  Pod: '', PodTemplate: '/template', Deployment: '/spec/template', StatefulSet: '/spec/template', DaemonSet: '/spec/template',
  ReplicaSet: '/spec/template', ReplicationController: '/spec/template', Job: '/spec/template', CronJob: '/spec/jobTemplate/spec/template',
};

/** Volume sources Pod Security "restricted" allows. */
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
/** Sysctls Pod Security "baseline" (and so "restricted") allows. */
const SAFE_SYSCTLS = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);

type Json = Record<string, any>;

/** Every departure of an object from the policy. */
export function policyFindings(obj: Json): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  const kind = String(obj.kind);
  if (CLUSTER_SCOPED_KINDS.has(kind) || crdScope(obj) === 'Cluster') {
    out.push({ pointer: '/kind', allow: 'clusterScoped', message: `${kind} is cluster-scoped: it reaches beyond the release's namespace` });
  }
  if ((kind === 'RoleBinding' || kind === 'ClusterRoleBinding') && obj.roleRef?.kind === 'ClusterRole' && obj.roleRef?.name === 'cluster-admin') {
    out.push({ pointer: '/roleRef/name', allow: 'clusterAdmin', message: 'binds the cluster-admin ClusterRole: full control of the cluster' });
  }
  if (kind === 'Role' || kind === 'ClusterRole') {
    (Array.isArray(obj.rules) ? obj.rules : []).forEach((r: Json, i: number) => {
      for (const field of ['apiGroups', 'resources', 'verbs', 'nonResourceURLs']) {
        (Array.isArray(r?.[field]) ? r[field] : []).forEach((x: unknown, j: number) => {
          if (typeof x === 'string' && x.includes('*')) out.push({ pointer: `/rules/${i}/${field}/${j}`, allow: 'rbacWildcard', message: `"${x}" is a wildcard: it grants more than named, including what is added later` });
        });
      }
    });
  }
  const at = POD_TEMPLATE_AT[kind];
  if (at !== undefined) out.push(...podFindings(at === '' ? obj : valueAt(obj, at), at));
  return out;
}

/** Departures of a pod (metadata + spec at `at`) from Pod Security "restricted". */
export function podFindings(template: Json | undefined, at: string): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  const spec: Json | undefined = template?.spec;
  if (!spec || typeof spec !== 'object') return out;
  const p = `${at}/spec`;
  const add = (pointer: string, allow: SecurityAllowance, message: string) => out.push({ pointer, allow, message });
  if (spec.hostNetwork === true) add(`${p}/hostNetwork`, 'hostNetwork', 'uses the node\'s network');
  if (spec.hostPID === true) add(`${p}/hostPID`, 'privileged', 'shares the node\'s process namespace');
  if (spec.hostIPC === true) add(`${p}/hostIPC`, 'privileged', 'shares the node\'s IPC namespace');
  (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v: Json, i: number) => {
    for (const k of Object.keys(v ?? {})) {
      if (k === 'name' || RESTRICTED_VOLUMES.has(k)) continue;
      add(`${p}/volumes/${i}/${k}`, k === 'hostPath' ? 'hostPath' : 'privileged', `is a ${k} volume, which Pod Security "restricted" forbids`);
    }
  });
  const psc: Json = spec.securityContext ?? {};
  (Array.isArray(psc.sysctls) ? psc.sysctls : []).forEach((s: Json, i: number) => {
    if (!SAFE_SYSCTLS.has(s?.name)) add(`${p}/securityContext/sysctls/${i}/name`, 'privileged', `sets the unsafe sysctl ${s?.name}`);
  });
  if (psc.runAsUser === 0) add(`${p}/securityContext/runAsUser`, 'runAsRoot', 'runs as uid 0 (root)');
  if (psc.runAsNonRoot === false) add(`${p}/securityContext/runAsNonRoot`, 'runAsRoot', 'allows running as root');
  if (psc.seccompProfile?.type === 'Unconfined') add(`${p}/securityContext/seccompProfile/type`, 'seccompOverride', 'turns seccomp off');
  seLinux(psc, `${p}/securityContext`, add);
  for (const [key, value] of Object.entries<string>(template?.metadata?.annotations ?? {})) {
    if (key.startsWith('container.apparmor.security.beta.kubernetes.io/') && value !== 'runtime/default' && !String(value).startsWith('localhost/')) {
      add(`${at}/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, 'appArmorOverride', `sets the AppArmor profile "${value}"`);
    }
  }
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    (Array.isArray(spec[list]) ? spec[list] : []).forEach((c: Json, i: number) => {
      const cp = `${p}/${list}/${i}`;
      const sc: Json = c?.securityContext ?? {};
      const scp = `${cp}/securityContext`;
      const name = c?.name ?? `#${i}`;
      if (sc.privileged === true) add(`${scp}/privileged`, 'privileged', `makes container "${name}" privileged (full access to the node)`);
      if (sc.allowPrivilegeEscalation !== false) add(`${scp}/allowPrivilegeEscalation`, 'privileged', `must be false in container "${name}" (Pod Security "restricted")`);
      const drop: unknown[] = Array.isArray(sc.capabilities?.drop) ? sc.capabilities.drop : [];
      if (!drop.includes('ALL')) add(`${scp}/capabilities/drop`, 'privileged', `must include ALL in container "${name}"`);
      (Array.isArray(sc.capabilities?.add) ? sc.capabilities.add : []).forEach((cap: unknown, j: number) => {
        if (cap !== 'NET_BIND_SERVICE') add(`${scp}/capabilities/add/${j}`, 'privileged', `adds the capability ${String(cap)} to container "${name}" (only NET_BIND_SERVICE is allowed)`);
      });
      if (sc.runAsUser === 0) add(`${scp}/runAsUser`, 'runAsRoot', `runs container "${name}" as uid 0 (root)`);
      if (sc.runAsNonRoot === false || (sc.runAsNonRoot === undefined && psc.runAsNonRoot !== true)) add(`${scp}/runAsNonRoot`, 'runAsRoot', `must be true in container "${name}" or the pod`);
      const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
      if (seccomp === 'Unconfined') add(`${scp}/seccompProfile/type`, 'seccompOverride', `turns seccomp off in container "${name}"`);
      else if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') add(`${scp}/seccompProfile`, 'seccompOverride', `needs seccompProfile RuntimeDefault or Localhost in container "${name}" or the pod`);
      if (sc.procMount !== undefined && sc.procMount !== 'Default') add(`${scp}/procMount`, 'privileged', `unmasks /proc in container "${name}"`);
      if (sc.windowsOptions?.hostProcess === true) add(`${scp}/windowsOptions/hostProcess`, 'privileged', `runs container "${name}" as a Windows host process`);
      seLinux(sc, scp, add);
      (Array.isArray(c?.ports) ? c.ports : []).forEach((port: Json, j: number) => {
        if (port?.hostPort) add(`${cp}/ports/${j}/hostPort`, 'hostPort', `opens port ${port.hostPort} on the node`);
      });
    });
  }
  return out;
}

function seLinux(sc: Json, at: string, add: (pointer: string, allow: SecurityAllowance, message: string) => void): void {
  const o = sc.seLinuxOptions;
  if (!o) return;
  if (o.type !== undefined && !['', 'container_t', 'container_init_t', 'container_kvm_t'].includes(o.type)) add(`${at}/seLinuxOptions/type`, 'privileged', `sets the SELinux type ${o.type}`);
  for (const k of ['user', 'role']) if (o[k]) add(`${at}/seLinuxOptions/${k}`, 'privileged', `sets the SELinux ${k}`);
}

function valueAt(obj: Json, pointer: string): Json | undefined {
  let cur: any = obj;
  for (const seg of pointer.slice(1).split('/')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = cur[seg];
  }
  return cur;
}
