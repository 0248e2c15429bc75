/** Node agents: DaemonSet settings, and host access only through named, annotated opt-outs. */
import { describe, expect, it } from 'vitest';
import { restrictedViolations } from '../support/pss';
import { errorOf, find, lineOf, renderOne, schemaErrors } from './helpers';

const AGENT = `name: agent
version: 2.0.0
image: { repository: acme/agent }
workload:
  kind: DaemonSet
  updateStrategy: { maxUnavailable: 2, maxSurge: 0 }
ports: [{ name: grpc, containerPort: 50051, expose: false }]
health: { grpc: { port: grpc } }
tolerations:
  - { key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }
priorityClassName: system-node-critical
nodeSelector: { kubernetes.io/os: linux }
`;

const LOG_READER = `${AGENT}hostPaths:
  - path: /var/log
security:
  exceptions:
    - name: read-node-logs
      reason: ships the container logs the kubelet writes under /var/log
      allow: [hostPath]
`;

describe('DaemonSet (node agent)', () => {
  const objects = renderOne(AGENT);
  const ds = find(objects, 'DaemonSet');
  const pod = ds.spec.template.spec;

  it('renders a DaemonSet with the update strategy, tolerations, priority class and node selector', () => {
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2, maxSurge: 0 } });
    expect(pod.tolerations).toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(ds.metadata.labels['app.kubernetes.io/component']).toBe('agent');
  });

  it('has no replicas, HPA, PDB, topology spread or Deployment', () => {
    expect(ds.spec.replicas).toBeUndefined();
    expect(pod.topologySpreadConstraints).toBeUndefined();
    expect(objects.map((o) => o.kind).filter((k) => ['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Service'].includes(k))).toEqual([]);
  });

  it('probes gRPC health on the declared port', () => {
    const c = pod.containers[0];
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) expect(c[probe].grpc).toEqual({ port: 50051 });
  });

  it('meets Pod Security restricted without exceptions, and validates strictly', () => {
    expect(restrictedViolations(pod, 'agent')).toEqual([]);
    expect(ds.spec.template.metadata.annotations).toBeUndefined();
    expect(schemaErrors(objects)).toEqual([]);
  });
});

describe('host access by named opt-out', () => {
  it('mounts a hostPath read-only, annotates the reason and the Pod Security level needed, and keeps the rest restricted', () => {
    const ds = find(renderOne(LOG_READER), 'DaemonSet');
    const pod = ds.spec.template.spec;
    expect(ds.spec.template.metadata.annotations).toEqual({
      'slipway.dev/security-exception.read-node-logs': 'hostPath: ships the container logs the kubelet writes under /var/log',
      'slipway.dev/pod-security-level': 'privileged',
    });
    expect(pod.volumes).toContainEqual({ name: 'host-var-log', hostPath: { path: '/var/log', type: 'Directory' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'host-var-log', mountPath: '/var/log', readOnly: true });
    // The only deviation from restricted is the hostPath volume itself.
    expect(restrictedViolations(pod, 'agent')).toEqual(['agent: volume host-var-log of type hostPath']);
  });

  it('runs as root only with a runAsRoot exception (Pod Security baseline), still without privilege escalation or capabilities', () => {
    const objects = renderOne(`${AGENT}security:
  exceptions:
    - { name: root-reader, reason: reads files only uid 0 may read, allow: [runAsRoot] }
`);
    const ds = find(objects, 'DaemonSet');
    const c = ds.spec.template.spec.containers[0];
    expect(c.securityContext).toMatchObject({ runAsUser: 0, runAsNonRoot: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(ds.spec.template.metadata.annotations['slipway.dev/pod-security-level']).toBe('baseline');
    expect(schemaErrors(objects)).toEqual([]);
  });

  it('uses the node network and a host port with their exceptions (dnsPolicy for host networking, no surge)', () => {
    const objects = renderOne(`name: node-exporter
version: 1.8.0
image: { repository: prom/node-exporter }
workload: { kind: DaemonSet }
hostNetwork: true
ports: [{ name: metrics, containerPort: 9100, hostPort: 9100, expose: false }]
health: { http: { path: /, port: metrics }, readiness: { tcp: { port: metrics } } }
security:
  exceptions:
    - { name: node-network, reason: reports the node's own network interfaces, allow: [hostNetwork, hostPort] }
`);
    const ds = find(objects, 'DaemonSet');
    const pod = ds.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(pod.containers[0].ports).toEqual([{ name: 'metrics', containerPort: 9100, hostPort: 9100, protocol: 'TCP' }]);
    expect(ds.spec.updateStrategy.rollingUpdate).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(ds.spec.template.metadata.annotations['slipway.dev/security-exception.node-network']).toBe("hostNetwork,hostPort: reports the node's own network interfaces");
    expect(schemaErrors(objects)).toEqual([]);
  });
});

describe('bad input: host access without an opt-out', () => {
  it('a hostPath without the opt-out names the file, line and field', () => {
    const spec = `${AGENT}hostPaths:\n  - path: /var/log\n`;
    expect(errorOf(spec)).toBe(`x.yaml:${lineOf(spec, '- path: /var/log')}:5: hostPaths[0]: mounts /var/log from the node, which Pod Security "restricted" forbids: add a named opt-out under security.exceptions with allow: [hostPath] and a reason (the pod then needs a namespace at Pod Security "privileged")`);
  });

  it('hostNetwork and hostPort without the opt-out', () => {
    const spec = `${AGENT.replace('expose: false }', 'expose: false, hostPort: 50051 }')}hostNetwork: true\n`;
    const msg = errorOf(spec)!;
    expect(msg).toContain(`x.yaml:${lineOf(spec, 'hostNetwork: true')}:14: hostNetwork: uses the node's network`);
    expect(msg).toContain(`x.yaml:${lineOf(spec, 'hostPort: 50051')}:`);
    expect(msg).toContain('ports[0].hostPort: opens port 50051 on the node');
  });

  it('an exception that allows what the service does not use', () => {
    const spec = LOG_READER.replace('allow: [hostPath]', 'allow: [hostPath, hostNetwork]');
    expect(errorOf(spec)).toBe(`x.yaml:${lineOf(spec, 'allow: [hostPath, hostNetwork]')}:25: security.exceptions[0].allow[1]: allows hostNetwork, which the service does not use: remove it so the opt-out stays accurate`);
  });

  it('a DaemonSet surging on a host port, and an update strategy that cannot progress', () => {
    const surge = `${AGENT.replace('maxSurge: 0', 'maxSurge: 1').replace('expose: false }', 'expose: false, hostPort: 50051 }')}security:
  exceptions: [{ name: port, reason: agents are reached on the node port, allow: [hostPort] }]
`;
    expect(errorOf(surge)).toContain('workload.updateStrategy.maxSurge: must be 0 for a DaemonSet using hostPort or hostNetwork');
    expect(errorOf(AGENT.replace('maxUnavailable: 2', 'maxUnavailable: 0'))).toContain(`x.yaml:6:19: workload.updateStrategy: sets maxSurge and maxUnavailable to 0`);
  });
});

describe('checker exemptions follow the named exceptions, with their reasons', () => {
  it('annotates the workload for kube-linter, kube-score and Polaris', () => {
    const ds = find(renderOne(`${LOG_READER}    - { name: root-reader, reason: reads files only uid 0 may read, allow: [runAsRoot] }\n`), 'DaemonSet');
    expect(ds.metadata.annotations).toEqual({
      'polaris.fairwinds.com/hostPathSet-exempt': 'true',
      'slipway.dev/exemption.hostPathSet': 'security exception read-node-logs: ships the container logs the kubelet writes under /var/log',
      'ignore-check.kube-linter.io/run-as-non-root': 'security exception root-reader: reads files only uid 0 may read',
      'polaris.fairwinds.com/runAsRootAllowed-exempt': 'true',
      'slipway.dev/exemption.runAsRootAllowed': 'security exception root-reader: reads files only uid 0 may read',
      'kube-score/ignore': 'container-security-context-user-group-id',
      'slipway.dev/exemption.container-security-context-user-group-id': 'security exception root-reader: reads files only uid 0 may read',
      'polaris.fairwinds.com/topologySpreadConstraint-exempt': 'true',
      'slipway.dev/exemption.topologySpreadConstraint': 'a DaemonSet runs one pod per node: there is nothing to spread',
      // No ingressFrom: the NetworkPolicy denies all ingress, which Polaris' check reads as missing.
      'polaris.fairwinds.com/missingNetworkPolicy-exempt': 'true',
      'slipway.dev/exemption.missingNetworkPolicy': 'the NetworkPolicy selects these pods and denies all ingress (networkPolicy.ingressFrom declares no peer): nothing undeclared may connect',
    });
  });
});
