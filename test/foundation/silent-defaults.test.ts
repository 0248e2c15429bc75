/**
 * Issue 15, "defaults that never silently break a path the spec declared": each case below was
 * reproduced on main (wrong output, or no warning) before its fix.
 */
import { describe, expect, it } from 'vitest';
import { loadSpecText } from '../../src/spec/load';
import { policyWarnings } from '../../src/cli/policy';
import { specYaml } from '../../src/cli/init-templates';
import { BASE, render, find, mainContainer, loadError } from '../support/render';

const WORKER = `name: worker
version: 1.0.0
image: { repository: acme/worker }
`;

function warningsOf(yaml: string) {
  return loadSpecText(yaml, 'spec.yaml').flatMap((s) => policyWarnings(s));
}

describe('NetworkPolicy: protocols', () => {
  const DNS = `name: dns
version: 1.0.0
image: { repository: acme/dns }
ports:
  - { name: dns-udp, containerPort: 5353, servicePort: 53, protocol: UDP }
  - { name: dns-tcp, containerPort: 5353, servicePort: 53 }
  - { name: sig, containerPort: 3868, protocol: SCTP, expose: false }
networkPolicy:
  ingressFrom: [{ cidr: 10.0.0.0/8, ports: [dns-udp, dns-tcp, 3868] }]
  egressTo:
    - { cidr: 192.0.2.0/24, ports: [{ port: 53, protocol: UDP }, 53] }
`;
  const objects = render(DNS);

  it('gives a UDP or SCTP port the same protocol in the policy (not TCP)', () => {
    const np = find(objects, 'NetworkPolicy').spec;
    expect(np.ingress).toEqual([{
      from: [{ ipBlock: { cidr: '10.0.0.0/8' } }],
      ports: [{ port: 'dns-udp', protocol: 'UDP' }, { port: 'dns-tcp', protocol: 'TCP' }, { port: 3868, protocol: 'SCTP' }],
    }]);
  });

  it('gives every egress port a protocol, TCP unless named', () => {
    const np = find(objects, 'NetworkPolicy').spec;
    expect(np.egress[1]).toEqual({ to: [{ ipBlock: { cidr: '192.0.2.0/24' } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] });
  });

  it('keeps the protocol on the container and Service ports', () => {
    expect(mainContainer(objects).ports).toContainEqual({ name: 'sig', containerPort: 3868, protocol: 'SCTP' });
    expect(find(objects, 'Service').spec.ports[0]).toEqual({ name: 'dns-udp', port: 53, targetPort: 'dns-udp', protocol: 'UDP' });
  });

  it('lets egressTo name a service by its app.kubernetes.io/name', () => {
    const np = find(render(`${BASE}networkPolicy: { egressTo: [{ service: postgres, ports: [5432] }] }\n`), 'NetworkPolicy').spec;
    expect(np.egress[1]).toEqual({ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'postgres' } } }], ports: [{ port: 5432, protocol: 'TCP' }] });
  });
});

describe('NetworkPolicy: a declared Ingress or HTTPRoute is allowed in', () => {
  it('admits the ingress controller namespace (ingress-nginx by default) on the routed port', () => {
    const np = find(render(`${BASE}ingress: { hosts: [{ host: web.example.com }] }\n`), 'NetworkPolicy').spec;
    expect(np.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 'http', protocol: 'TCP' }] }]);
  });

  it('takes the controller namespace from ingress.controllerNamespace', () => {
    const np = find(render(`${BASE}ingress: { controllerNamespace: traefik, hosts: [{ host: web.example.com }] }\n`), 'NetworkPolicy').spec;
    expect(np.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } } }]);
  });

  it('admits the Gateway namespace of an HTTPRoute', () => {
    const np = find(render(`${BASE}httpRoute: { parentRefs: [{ name: public, namespace: gateways }] }\n`), 'NetworkPolicy').spec;
    expect(np.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateways' } } }], ports: [{ port: 'http', protocol: 'TCP' }] }]);
  });

  it('admits httpRoute.gatewayNamespace when the Gateway runs its proxies elsewhere', () => {
    const np = find(render(`${BASE}httpRoute: { gatewayNamespace: envoy-gateway-system, parentRefs: [{ name: public }] }\n`), 'NetworkPolicy').spec;
    expect(np.ingress[0].from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } } }]);
  });

  it('derives nothing with networkPolicy.allowFromRoutes: false, and validate warns', () => {
    const yaml = `${BASE}ingress: { hosts: [{ host: web.example.com }] }\nnetworkPolicy: { allowFromRoutes: false }\n`;
    expect(find(render(yaml), 'NetworkPolicy').spec.ingress).toBeUndefined();
    const w = warningsOf(yaml).filter((x) => x.rule === 'ingress-blocked');
    expect(w).toHaveLength(1);
    expect(w[0].message).toMatch(/ingressFrom/);
  });

  it('does not warn when ingressFrom covers the routed port', () => {
    const yaml = `${BASE}ingress: { hosts: [{ host: web.example.com }] }\nnetworkPolicy: { allowFromRoutes: false, ingressFrom: [{ namespaceLabels: { team: edge } }] }\n`;
    expect(warningsOf(yaml).filter((x) => x.rule === 'ingress-blocked')).toEqual([]);
  });

  it('warns about a LoadBalancer Service nobody may reach', () => {
    const w = warningsOf(`${BASE}service: { type: LoadBalancer }\n`).filter((x) => x.rule === 'ingress-blocked');
    expect(w).toHaveLength(1);
    expect(w[0].path).toEqual(['service', 'type']);
  });

  it('warns when the metrics port cannot be scraped', () => {
    const yaml = `${BASE}ports: [{ name: http, containerPort: 8080 }, { name: metrics, containerPort: 9090, expose: false }]\nmetrics: { port: metrics, mode: annotations }\n`.replace(`ports: [{ name: http, containerPort: 8080 }]\n`, '');
    const w = warningsOf(yaml).filter((x) => x.rule === 'ingress-blocked');
    expect(w.map((x) => x.path)).toEqual([['metrics', 'port']]);
  });
});

describe('NetworkPolicy: declared dependencies need egress', () => {
  const DB = `${BASE}secrets: [{ name: db, existingSecret: db, env: { DATABASE_URL: url } }]\n`;
  it('warns when a *_URL secret or config names a dependency and egress is DNS only', () => {
    const w = warningsOf(DB).filter((x) => x.rule === 'egress-blocked');
    expect(w).toHaveLength(1);
    expect(w[0].message).toMatch(/DATABASE_URL.*egressTo/);
    expect(w[0].path).toEqual(['secrets', 0, 'env', 'DATABASE_URL']);
  });

  it('does not warn once egressTo is declared, or without a NetworkPolicy', () => {
    expect(warningsOf(`${DB}networkPolicy: { egressTo: [{ service: postgres, ports: [5432] }] }\n`).filter((x) => x.rule === 'egress-blocked')).toEqual([]);
    expect(warningsOf(`${DB}networkPolicy: { enabled: false }\n`).filter((x) => x.rule === 'egress-blocked')).toEqual([]);
  });
});

describe('health: a liveness-only (or readiness-only) declaration', () => {
  it('renders the declared probe when the others are switched off', () => {
    const objects = render(`${WORKER}health:\n  liveness: { exec: { command: [/app/healthcheck] } }\n  startup: { enabled: false }\n  readiness: { enabled: false }\n`);
    const c = mainContainer(objects);
    expect(c.livenessProbe.exec).toEqual({ command: ['/app/healthcheck'] });
    expect(c.startupProbe).toBeUndefined();
    expect(c.readinessProbe).toBeUndefined();
  });

  it('renders the declared probe when the others are simply not declared', () => {
    const c = mainContainer(render(`${WORKER}health:\n  liveness: { exec: { command: [/app/healthcheck] } }\n`));
    expect(Object.keys(c).filter((k) => k.endsWith('Probe'))).toEqual(['livenessProbe']);
  });

  it('renders a readiness-only declaration', () => {
    const c = mainContainer(render(`${BASE}health:\n  readiness: { http: { path: /ready } }\n`));
    expect(Object.keys(c).filter((k) => k.endsWith('Probe'))).toEqual(['readinessProbe']);
  });

  it('does not claim "no health probes" for a liveness-only worker', () => {
    const w = warningsOf(`${WORKER}health:\n  liveness: { exec: { command: [/app/healthcheck] } }\n  startup: { enabled: false }\n  readiness: { enabled: false }\n`);
    expect(w.filter((x) => x.rule === 'no-probes')).toEqual([]);
  });

  it('still rejects an enabled probe that has timings but no check', () => {
    expect(loadError(`${BASE}health:\n  liveness: { exec: { command: [/bin/true] } }\n  readiness: { periodSeconds: 3 }\n`)).toMatch(/health\.readiness.*has no check/);
  });
});

describe('resources: defaults fill what the user left out, per resource', () => {
  it('keeps the ephemeral-storage defaults when the user sets cpu/memory only', () => {
    const c = mainContainer(render(`${BASE}resources: { requests: { cpu: 250m, memory: 200Mi }, limits: { memory: 512Mi } }\n`));
    expect(c.resources).toEqual({
      requests: { cpu: '250m', memory: '200Mi', 'ephemeral-storage': '64Mi' },
      limits: { memory: '512Mi', 'ephemeral-storage': '1Gi' },
    });
  });

  it('removes one resource with `none`', () => {
    const c = mainContainer(render(`${BASE}resources: { limits: { ephemeral-storage: none } }\n`));
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' }, limits: { memory: '256Mi' } });
  });

  it('never fills a default limit below the user\'s request (or a default request above the user\'s limit)', () => {
    const up = mainContainer(render(`${BASE}resources: { requests: { memory: 1Gi } }\n`));
    expect(up.resources.limits.memory).toBe('1Gi');
    const down = mainContainer(render(`${BASE}resources: { limits: { memory: 64Mi } }\n`));
    expect(down.resources.requests.memory).toBe('64Mi');
  });

  it('rejects a user request above the user\'s limit', () => {
    expect(loadError(`${BASE}resources: { requests: { memory: 2Gi }, limits: { memory: 1Gi } }\n`)).toMatch(/resources\.requests\.memory.*limit/);
  });
});

describe('PodDisruptionBudget never blocks every eviction', () => {
  it('rejects minAvailable equal to a fixed replica count, saying what to change', () => {
    expect(loadError(`${BASE}replicas: 1\npdb: { minAvailable: 1 }\n`)).toMatch(/pdb\.minAvailable.*blocks every.*maxUnavailable/);
    expect(loadError(`${BASE}pdb: { minAvailable: 100% }\n`)).toMatch(/pdb\.minAvailable.*blocks every/);
    expect(loadError(`${BASE}pdb: { maxUnavailable: 0 }\n`)).toMatch(/pdb\.maxUnavailable.*blocks every/);
    expect(loadError(`${BASE}autoscaling: { minReplicas: 2, maxReplicas: 4 }\npdb: { minAvailable: 2 }\n`)).toMatch(/pdb\.minAvailable.*minReplicas/);
  });

  it('keeps the default maxUnavailable 1 with one replica, so a drain can evict the pod', () => {
    const pdb = find(render(`${BASE}replicas: 1\n`), 'PodDisruptionBudget').spec;
    expect(pdb.maxUnavailable).toBe(1);
  });

  it('accepts minAvailable below the replica count', () => {
    expect(find(render(`${BASE}replicas: 3\npdb: { minAvailable: 2 }\n`), 'PodDisruptionBudget').spec.minAvailable).toBe(2);
  });
});

describe('explicit choices get an exemption with their reason', () => {
  const annotations = (objects: any[], kind: string) => find(objects, kind).metadata.annotations ?? {};

  it('replicas: 1 exempts the Deployment from the replica checks, naming the field', () => {
    const a = annotations(render(`${BASE}replicas: 1\n`), 'Deployment');
    expect(a['polaris.fairwinds.com/deploymentMissingReplicas-exempt']).toBe('true');
    expect(a['slipway.dev/exemption.deploymentMissingReplicas']).toMatch(/replicas: 1/);
    expect(a['kube-score/ignore']).toMatch(/deployment-replicas/);
  });

  it('autoscaling.minReplicas: 1 exempts the HPA from Polaris hpaMinAvailability', () => {
    const a = annotations(render(`${BASE}autoscaling: { minReplicas: 1, maxReplicas: 3 }\n`), 'HorizontalPodAutoscaler');
    expect(a['polaris.fairwinds.com/hpaMinAvailability-exempt']).toBe('true');
    expect(a['slipway.dev/exemption.hpaMinAvailability']).toMatch(/minReplicas: 1/);
  });

  it('serviceAccount.automountToken: true is exempted with its reason', () => {
    const a = annotations(render(`${BASE}serviceAccount: { automountToken: true }\n`), 'Deployment');
    expect(a['polaris.fairwinds.com/automountServiceAccountToken-exempt']).toBe('true');
  });

  it('a readiness probe switched off in the spec is exempted (Polaris readinessProbeMissing)', () => {
    const a = annotations(render(`${WORKER}health:\n  liveness: { exec: { command: [/app/healthcheck] } }\n  readiness: { enabled: false }\n`), 'Deployment');
    expect(a['polaris.fairwinds.com/readinessProbeMissing-exempt']).toBe('true');
    expect(a['slipway.dev/exemption.readinessProbeMissing']).toMatch(/health\.readiness/);
  });

  it('defaults produce no exemption', () => {
    const a = annotations(render(BASE), 'Deployment');
    expect(Object.keys(a).filter((k) => /MissingReplicas|readinessProbe|automount/.test(k))).toEqual([]);
  });
});

describe('NetworkPolicy: no duplicate of a rule the spec already wrote', () => {
  it('derives no controller rule when ingressFrom already admits that namespace to the port', () => {
    const np = find(render(`${BASE}ingress: { hosts: [{ host: web.example.com }] }\nnetworkPolicy:\n  ingressFrom: [{ namespaceLabels: { kubernetes.io/metadata.name: ingress-nginx }, ports: [http] }]\n`), 'NetworkPolicy').spec;
    expect(np.ingress).toHaveLength(1);
  });
});

describe('NetworkPolicy: ingressFrom may admit a port the Service does not expose', () => {
  it('admits a declared metrics port scraped by pod IP, and rejects an undeclared name', () => {
    const yaml = `${BASE}ports: [{ name: http, containerPort: 8080 }, { name: metrics, containerPort: 9090, expose: false }]\nnetworkPolicy: { ingressFrom: [{ namespaceLabels: { team: obs }, ports: [metrics] }] }\n`.replace(`ports: [{ name: http, containerPort: 8080 }]\n`, '');
    expect(find(render(yaml), 'NetworkPolicy').spec.ingress[0].ports).toEqual([{ port: 'metrics', protocol: 'TCP' }]);
    expect(loadError(`${BASE}networkPolicy: { ingressFrom: [{ ports: [nope] }] }\n`)).toMatch(/ingressFrom\[0\]\.ports\[0\]: "nope" is not a declared port/);
  });
});

describe('a portless worker: deny-all ingress is not a missing policy', () => {
  it('exempts Polaris missingNetworkPolicy with the reason, and only then', () => {
    const worker = find(render(`${WORKER}health: { liveness: { exec: { command: [/bin/true] } } }\n`), 'Deployment').metadata.annotations;
    expect(worker['polaris.fairwinds.com/missingNetworkPolicy-exempt']).toBe('true');
    expect(worker['slipway.dev/exemption.missingNetworkPolicy']).toMatch(/denies all ingress \(the pods declare no ports\)/);
    const web = find(render(`${BASE}networkPolicy: { ingressFrom: [{ namespaceLabels: { team: a } }] }\n`), 'Deployment').metadata.annotations ?? {};
    expect(web['polaris.fairwinds.com/missingNetworkPolicy-exempt']).toBeUndefined();
  });
});

describe('slipway init\'s scaffold', () => {
  it('keeps the ephemeral-storage defaults next to the cpu/memory it writes (kube-score needs them)', () => {
    const c = mainContainer(render(specYaml({ name: 'web', repository: 'acme/web', port: 8080 })));
    expect(c.resources.requests['ephemeral-storage']).toBe('64Mi');
    expect(c.resources.limits['ephemeral-storage']).toBe('1Gi');
  });
});

describe('health without any check', () => {
  it('is an error, not a silent absence of probes', () => {
    expect(loadError(`${BASE}health: { readiness: { enabled: false } }\n`)).toMatch(/health: declares no check/);
  });
});

describe('image ↔ pod: what a distroless or scratch image cannot run', () => {
  const GO = `${BASE}build: { preset: go }\n`;
  it('warns about a preStop sleep on the go preset (distroless has no sleep)', () => {
    const w = warningsOf(`${GO}shutdown: { preStopSleepSeconds: 5 }\n`).filter((x) => x.rule === 'prestop-no-sleep');
    expect(w.map((x) => x.path)).toEqual([['shutdown', 'preStopSleepSeconds']]);
    expect(w[0].message).toMatch(/no `sleep` binary/);
    expect(warningsOf(`${BASE}build: { preset: python }\nshutdown: { preStopSleepSeconds: 5 }\n`).filter((x) => x.rule === 'prestop-no-sleep')).toEqual([]);
  });

  it('warns about a relative command other than the image\'s binary', () => {
    const w = warningsOf(`${GO}command: [./server]\n`).filter((x) => x.rule === 'command-not-in-image');
    expect(w[0].message).toMatch(/holds only \/usr\/local\/bin\/web/);
    expect(warningsOf(`${GO}command: [web]\n`).filter((x) => x.rule === 'command-not-in-image')).toEqual([]);
    expect(warningsOf(`${GO}command: [/usr/local/bin/web]\n`).filter((x) => x.rule === 'command-not-in-image')).toEqual([]);
  });
});

describe('NetworkPolicy warnings: who counts as admitted', () => {
  it('does not count the ingress controller rule as letting Prometheus scrape the port', () => {
    const yaml = `${BASE}ingress: { hosts: [{ host: web.example.com }] }\nmetrics: { port: http, mode: annotations }\n`;
    expect(warningsOf(yaml).filter((x) => x.rule === 'ingress-blocked').map((x) => x.path)).toEqual([['metrics', 'port']]);
  });

  it('takes an explicit egressTo: [] as a decision (no egress-blocked guess)', () => {
    const yaml = `${BASE}config: { env: { PUBLIC_URL: https://web.example.com } }\nnetworkPolicy: { egressTo: [] }\n`;
    expect(warningsOf(yaml).filter((x) => x.rule === 'egress-blocked')).toEqual([]);
  });
});
