/**
 * Pod Security Standards "restricted" checks on a pod spec, as the admission controller applies
 * them (https://kubernetes.io/docs/concepts/security/pod-security-standards/), plus Slipway's own
 * defaults (read-only root filesystem, no service account token unless `tokenChosen`).
 */

/** True when a workload object says the spec chose to mount the token (Polaris exemption with its reason). */
export function tokenChosen(obj: any): boolean {
  return 'slipway.dev/exemption.automountServiceAccountToken' in (obj.metadata?.annotations ?? {});
}
export function restrictedViolations(pod: any, where: string, opts: { tokenChosen?: boolean } = {}): string[] {
  const out: string[] = [];
  const bad = (msg: string) => out.push(`${where}: ${msg}`);
  const psc = pod.securityContext ?? {};
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) bad('host namespaces');
  for (const v of pod.volumes ?? []) {
    const allowed = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
    const type = Object.keys(v).find((k) => k !== 'name');
    if (!type || !allowed.includes(type)) bad(`volume ${v.name} of type ${type}`);
  }
  // The token is Slipway's default only: a spec that chose it (rbac, automountToken) says so in the output.
  if (pod.automountServiceAccountToken !== false && !opts.tokenChosen) bad('automountServiceAccountToken is not false');
  const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const at = `container ${c.name}`;
    if (sc.privileged) bad(`${at} privileged`);
    if (sc.allowPrivilegeEscalation !== false) bad(`${at} allowPrivilegeEscalation not false`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) bad(`${at} does not drop ALL capabilities`);
    const added = (sc.capabilities?.add ?? []).filter((x: string) => x !== 'NET_BIND_SERVICE');
    if (added.length) bad(`${at} adds capabilities ${added}`);
    const nonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
    if (nonRoot !== true) bad(`${at} runAsNonRoot not true`);
    const uid = sc.runAsUser ?? psc.runAsUser;
    if (typeof uid !== 'number' || uid === 0) bad(`${at} has no numeric non-zero runAsUser`);
    const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') bad(`${at} seccomp not RuntimeDefault`);
    if (sc.readOnlyRootFilesystem !== true) bad(`${at} root filesystem is writable`);
    for (const p of c.ports ?? []) if (p.hostPort) bad(`${at} hostPort ${p.hostPort}`);
  }
  return out;
}

/** The pod spec of a workload object, if it has one. */
export function podSpecOf(obj: any): any | undefined {
  if (obj.kind === 'Pod') return obj.spec;
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec?.template?.spec;
  return obj.spec?.template?.spec;
}
