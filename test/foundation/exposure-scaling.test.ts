import { describe, expect, it } from 'vitest';
import { BASE, render, find, mainContainer, loadError } from '../support/render';

describe('exposure', () => {
  const objects = render(`${BASE}ingress:
  className: nginx
  hosts: [{ host: web.example.com, paths: [{ path: /api }] }]
  tls: [{ hosts: [web.example.com], secretName: web-tls }]
networkPolicy:
  ingressFrom: [{ namespaceLabels: { team: edge }, ports: [http] }]
`);

  it('renders a Service with named ports targeting the container port names', () => {
    expect(find(objects, 'Service').spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
  });

  it('renders an Ingress with class, hosts, paths and TLS routed to the Service port by name', () => {
    expect(find(objects, 'Ingress').spec).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'web.example.com', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }],
      tls: [{ hosts: ['web.example.com'], secretName: 'web-tls' }],
    });
  });

  it('denies by default and allows declared peers and DNS', () => {
    const np = find(objects, 'NetworkPolicy').spec;
    expect(np.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.ingress).toEqual([
      // Derived from the Ingress: its controller's namespace (ingress.controllerNamespace) on the routed port.
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 'http', protocol: 'TCP' }] },
      { from: [{ namespaceSelector: { matchLabels: { team: 'edge' } } }], ports: [{ port: 'http', protocol: 'TCP' }] },
    ]);
    expect(np.egress).toHaveLength(1);
    expect(np.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
  });

  it('renders no Ingress unless declared', () => {
    expect(find(render(BASE), 'Ingress')).toBeUndefined();
  });
});

describe('scaling and shutdown', () => {
  it('defaults to 2 replicas, a PDB with AlwaysAllow, and zone + hostname spread', () => {
    const objects = render(BASE);
    const d = find(objects, 'Deployment');
    expect(d.spec.replicas).toBe(2);
    expect(find(objects, 'PodDisruptionBudget').spec).toEqual({
      maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow',
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
    });
    expect(d.spec.template.spec.topologySpreadConstraints.map((t: any) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(find(objects, 'HorizontalPodAutoscaler')).toBeUndefined();
  });

  it('renders an autoscaling/v2 HPA and no static replicas under it', () => {
    const objects = render(`${BASE}autoscaling: { minReplicas: 3, maxReplicas: 9, targetMemoryUtilizationPercentage: 70 }\n`);
    expect(find(objects, 'Deployment').spec.replicas).toBeUndefined();
    expect(find(objects, 'HorizontalPodAutoscaler').spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 9,
      metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
  });

  it('rejects fixed replicas under an HPA', () => {
    expect(loadError(`${BASE}replicas: 3\nautoscaling: { maxReplicas: 5 }\n`)).toMatch(/^spec\.yaml:5:11: replicas: is fixed while autoscaling is enabled/);
  });

  it('sets the grace period and a preStop delay', () => {
    const objects = render(`${BASE}shutdown: { terminationGracePeriodSeconds: 45, preStopSleepSeconds: 10 }\n`);
    expect(find(objects, 'Deployment').spec.template.spec.terminationGracePeriodSeconds).toBe(45);
    expect(mainContainer(objects).lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '10'] } } });
  });

  it('overrides command and args', () => {
    const c = mainContainer(render(`${BASE}command: [ghillie-entrypoint]\nargs: [python, -m, ghillie.runtime]\n`));
    expect([c.command, c.args]).toEqual([['ghillie-entrypoint'], ['python', '-m', 'ghillie.runtime']]);
  });
});

describe('defaults can be switched off', () => {
  it('resources, NetworkPolicy, PDB, spread, ServiceAccount, read-only root', () => {
    const objects = render(`${BASE}resources: none
networkPolicy: { enabled: false }
pdb: { enabled: false }
spread: { enabled: false }
serviceAccount: { create: false, name: shared }
security: { readOnlyRootFilesystem: false, writablePaths: [] }
`);
    const pod = find(objects, 'Deployment').spec.template.spec;
    expect(mainContainer(objects).resources).toBeUndefined();
    expect(find(objects, 'NetworkPolicy')).toBeUndefined();
    expect(find(objects, 'PodDisruptionBudget')).toBeUndefined();
    expect(find(objects, 'ServiceAccount')).toBeUndefined();
    expect(pod.topologySpreadConstraints).toBeUndefined();
    expect(pod.serviceAccountName).toBe('shared');
    expect(mainContainer(objects).securityContext.readOnlyRootFilesystem).toBe(false);
  });

  it('default security meets PSS restricted with numeric ids, a dedicated ServiceAccount and no token', () => {
    const objects = render(BASE);
    const pod = find(objects, 'Deployment').spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find(objects, 'ServiceAccount')).toMatchObject({ metadata: { name: 'web' }, automountServiceAccountToken: false });
    expect(mainContainer(objects).securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
    expect(mainContainer(objects).resources).toEqual({ requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' }, limits: { memory: '256Mi', 'ephemeral-storage': '1Gi' } });
  });
});
