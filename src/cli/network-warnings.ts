/**
 * Policy warnings for paths the spec declares but its NetworkPolicy would block: an exposure
 * (Ingress / HTTPRoute with `allowFromRoutes: false`, a NodePort or LoadBalancer Service, a
 * metrics port) that no ingress rule admits, and a dependency (an env var such as DATABASE_URL)
 * while egress allows only DNS. Each message says what to add.
 */
import type { FieldPath } from '../spec/errors';
import type { LoadedService } from '../spec/load';
import type { NetworkPeerSpec } from '../spec/types';

/** A warning of this file (the shape of policy.ts's PolicyWarning; no import, so no cycle). */
interface PolicyWarning {
  readonly rule: string;
  readonly path: FieldPath;
  readonly message: string;
}

/** Rules of this file, for POLICY_RULES. */
export const NETWORK_RULES: Readonly<Record<string, string>> = {
  'ingress-blocked': 'an Ingress, HTTPRoute, NodePort/LoadBalancer Service or metrics port that the NetworkPolicy admits nobody to',
  'egress-blocked': 'an env var naming a dependency (`*_URL`, `*_HOST`, `*_DSN`, ...) while the NetworkPolicy allows egress only to DNS',
};

/** Env var names that usually point at something the service calls. */
const DEPENDENCY_ENV = /(^|_)(URL|URI|DSN|HOST|HOSTNAME|ADDR|ADDRESS|ENDPOINT|BROKERS?)$/;

/** Whether some ingress peer admits traffic to the port named `name`. */
function admitted(peers: readonly NetworkPeerSpec[], name: string, number: number): boolean {
  return peers.some((p) => !p.ports?.length || p.ports.some((x) => {
    const ref = typeof x === 'object' ? x.port : x;
    return ref === name || ref === number;
  }));
}

/** The network warnings of one loaded service. */
export function networkWarnings(svc: LoadedService): PolicyWarning[] {
  const m = svc.model;
  const spec = svc.spec;
  const np = m.networkPolicy;
  if (!np.enabled || m.workload.kind === 'Sidecar') return [];
  const out: PolicyWarning[] = [];
  const warn = (rule: string, path: FieldPath, message: string) => out.push({ rule, path, message });
  const peers = [...np.fromRoutes, ...np.ingressFrom];
  const exposed = m.container.ports.filter((p) => p.expose);
  // Routes need any admitting peer; other callers (load balancer clients, Prometheus) are not the
  // route controllers, so only the spec's own ingressFrom peers count for them.
  const blockedFor = (list: readonly NetworkPeerSpec[]) => (name: string) => {
    const p = m.container.ports.find((x) => x.name === name);
    return p !== undefined && !admitted(list, p.name, p.containerPort);
  };
  const blocked = blockedFor(peers);
  const blockedForOthers = blockedFor(np.ingressFrom);
  const fix = (port: string, who: string) => `add networkPolicy.ingressFrom: [{ ${who}, ports: [${port}] }]`;

  if (spec.ingress && m.ingress.enabled && !np.allowFromRoutes) {
    const ports = [...new Set(spec.ingress.hosts.flatMap((h) => (h.paths ?? [{ path: '/' }]).map((p) => p.port ?? exposed[0]?.name)))];
    for (const port of ports.filter((p): p is string => p !== undefined && blocked(p))) {
      warn('ingress-blocked', ['ingress'], `routes to port "${port}", which the NetworkPolicy admits nobody to (networkPolicy.allowFromRoutes is false): ${fix(port, `namespaceLabels: { kubernetes.io/metadata.name: <ingress controller namespace> }`)}, or remove allowFromRoutes: false`);
    }
  }
  if (spec.httpRoute && m.httpRoute.enabled && !np.allowFromRoutes) {
    const port = spec.httpRoute.port ?? exposed[0]?.name;
    if (port && blocked(port)) warn('ingress-blocked', ['httpRoute'], `routes to port "${port}", which the NetworkPolicy admits nobody to (networkPolicy.allowFromRoutes is false): ${fix(port, 'namespaceLabels: { kubernetes.io/metadata.name: <Gateway namespace> }')}, or remove allowFromRoutes: false`);
  }
  if (m.service.enabled && m.service.type !== 'ClusterIP') {
    const ports = exposed.filter((p) => blockedForOthers(p.name));
    if (ports.length) warn('ingress-blocked', ['service', 'type'], `is ${m.service.type}, but the NetworkPolicy admits nobody to port ${ports.map((p) => `"${p.name}"`).join(', ')}: ${fix(ports[0].name, 'cidr: <client CIDR, e.g. 0.0.0.0/0>')}`);
  }
  if (m.metrics && blockedForOthers(m.metrics.port)) {
    warn('ingress-blocked', ['metrics', 'port'], `"${m.metrics.port}" cannot be scraped: the NetworkPolicy admits nobody to it. ${fix(m.metrics.port, 'namespaceLabels: { kubernetes.io/metadata.name: <Prometheus namespace> }')}`);
  }

  // An egressTo written in the spec, even `[]`, is a decision about egress: no guessing then.
  if (spec.networkPolicy?.egressTo === undefined) {
    const why = (name: string) => `${name} looks like the address of a dependency, but the NetworkPolicy allows egress only to ${np.allowDns ? 'DNS' : 'nothing'}: add networkPolicy.egressTo with the peer, port and protocol it calls (e.g. [{ service: postgres, ports: [5432] }] or [{ cidr: 10.0.0.0/16, ports: [5432] }]). If it is not one, write networkPolicy.egressTo: [] to say so`;
    const first = (() => {
      for (const name of Object.keys(m.config.env)) if (DEPENDENCY_ENV.test(name)) return { path: ['config', 'env', name] as FieldPath, name };
      for (const [i, s] of (spec.secrets ?? []).entries()) {
        for (const name of Object.keys(s.env ?? {})) if (DEPENDENCY_ENV.test(name)) return { path: ['secrets', i, 'env', name] as FieldPath, name };
      }
      return undefined;
    })();
    if (first) warn('egress-blocked', first.path, why(first.name));
  }
  return out;
}
