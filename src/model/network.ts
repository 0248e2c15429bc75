/**
 * The NetworkPolicy model: deny by default, then allow what the spec declares — its own peers
 * (`networkPolicy.ingressFrom` / `egressTo`), DNS, and the paths its Ingress and HTTPRoute imply
 * (the controller's or Gateway's namespace on the routed port), so a declared route is never
 * silently refused by the default deny.
 */
import type { NetworkPeerSpec, PeerPortSpec, PortProtocol, ServiceSpec } from '../spec/types';
import type { NetworkPolicyModel, PortModel } from './types';
import type { Problems } from './problems';

/** Where the ingress-nginx controller runs unless `ingress.controllerNamespace` says otherwise. */
export const DEFAULT_INGRESS_CONTROLLER_NAMESPACE = 'ingress-nginx';

/** The namespace label every namespace carries (Kubernetes >= 1.21). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Resolves `networkPolicy` (and the peers the routes imply). */
export function resolveNetworkPolicy(spec: ServiceSpec, ports: readonly PortModel[], problems: Problems): NetworkPolicyModel {
  const np = spec.networkPolicy ?? {};
  const exposed = ports.filter((p) => p.expose);
  np.ingressFrom?.forEach((peer, i) => peer.ports?.forEach((port, j) => {
    const ref = typeof port === 'object' ? port.port : port;
    // A declared port, exposed on the Service or not (Prometheus scrapes pods by their IP).
    if (typeof ref === 'string' && !ports.some((p) => p.name === ref)) {
      problems.add(['networkPolicy', 'ingressFrom', i, 'ports', j], `"${ref}" is not a declared port (declared: ${ports.map((p) => p.name).join(', ') || 'none'})`);
    }
  }));
  np.egressTo?.forEach((peer, i) => peer.ports?.forEach((port, j) => {
    if (typeof (typeof port === 'object' ? port.port : port) === 'string') problems.add(['networkPolicy', 'egressTo', i, 'ports', j], 'is a name: egress ports are numbers (a peer\'s port names are unknown here). Write the number, e.g. 5432, or { port: 53, protocol: UDP }');
  }));
  for (const dir of ['ingressFrom', 'egressTo'] as const) {
    np[dir]?.forEach((peer, i) => {
      if (peer.cidr !== undefined && (peer.podLabels || peer.namespaceLabels || peer.service)) {
        problems.add(['networkPolicy', dir, i, 'cidr'], 'cannot be combined with podLabels, namespaceLabels or service: a NetworkPolicy peer is an IP block or a selector. Split it into two peers');
      }
    });
  }
  return {
    enabled: np.enabled ?? true,
    ingressFrom: np.ingressFrom ?? [],
    egressTo: np.egressTo ?? [],
    allowDns: np.allowDns ?? true,
    allowFromRoutes: np.allowFromRoutes ?? true,
    fromRoutes: np.allowFromRoutes === false ? [] : routePeers(spec, exposed).filter((r) => !(np.ingressFrom ?? []).some((u) => covers(u, r))),
  };
}

/** Whether the user's peer `u` already admits everything the derived peer `r` would (same selectors, its ports). */
function covers(u: NetworkPeerSpec, r: NetworkPeerSpec): boolean {
  const same = (a?: Record<string, string>, b?: Record<string, string>) => JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b ?? {}).sort());
  if (u.cidr || u.service || !same(u.namespaceLabels, r.namespaceLabels) || !same(u.podLabels, r.podLabels) || (u.podLabels === undefined) !== (r.podLabels === undefined)) return false;
  const refs = (u.ports ?? []).map((x) => (typeof x === 'object' ? x.port : x));
  return !u.ports?.length || (r.ports ?? []).every((x) => refs.includes(typeof x === 'object' ? x.port : x));
}

/** The peers a declared Ingress / HTTPRoute needs: its controller's namespace on the routed ports. */
export function routePeers(spec: ServiceSpec, exposed: readonly PortModel[]): NetworkPeerSpec[] {
  if (!exposed.length) return [];
  const out: NetworkPeerSpec[] = [];
  const portOf = (name: string | undefined): PeerPortSpec => {
    const p = exposed.find((x) => x.name === name) ?? exposed[0];
    return { port: p.name, protocol: p.protocol };
  };
  const uniq = (list: PeerPortSpec[]) => list.filter((p, i) => list.findIndex((o) => o.port === p.port) === i);
  if (spec.ingress && spec.ingress.enabled !== false) {
    const ns = spec.ingress.controllerNamespace ?? DEFAULT_INGRESS_CONTROLLER_NAMESPACE;
    const ports = uniq(spec.ingress.hosts.flatMap((h) => (h.paths ?? [{ path: '/' }]).map((p) => portOf(p.port))));
    out.push({ namespaceLabels: { [NAMESPACE_NAME_LABEL]: ns }, ports });
  }
  if (spec.httpRoute && spec.httpRoute.enabled !== false) {
    const ns = spec.httpRoute.gatewayNamespace ?? spec.httpRoute.parentRefs.find((r) => r.namespace)?.namespace;
    const ports = [portOf(spec.httpRoute.port)];
    // A Gateway in the route's own namespace: its proxies are pods of this namespace.
    out.push(ns ? { namespaceLabels: { [NAMESPACE_NAME_LABEL]: ns }, ports } : { podLabels: {}, ports });
  }
  return out;
}

/** The protocol(s) of one peer port: as written, else the declared port's (by name or number), else TCP. */
export function peerPortProtocols(port: string | number | PeerPortSpec, declared: readonly PortModel[], inbound: boolean): { port: string | number; protocol: PortProtocol }[] {
  const ref = typeof port === 'object' ? port.port : port;
  if (typeof port === 'object' && port.protocol) return [{ port: ref, protocol: port.protocol }];
  if (!inbound && typeof ref === 'number') return [{ port: ref, protocol: 'TCP' }];
  const matches = declared.filter((p) => p.name === ref || p.containerPort === ref);
  const protocols = [...new Set(matches.map((p) => p.protocol))];
  return (protocols.length ? protocols : ['TCP' as const]).map((protocol) => ({ port: ref, protocol }));
}
