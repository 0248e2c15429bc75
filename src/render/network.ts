import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { NetworkPeerSpec } from '../spec/types';
import type { PortModel } from '../model/types';
import { peerPortProtocols } from '../model/network';
import { metadata, recordMetadata, selectorLabels, type RenderContext } from './context';
import type { Binding } from './recorder';

/** The Service: named ports targeting the container's named ports (Helm: `service.*`). */
export function renderService(scope: Construct, ctx: RenderContext): void {
  const m = ctx.model;
  const exposed = m.container.ports.filter((p) => p.expose);
  if (!exposed.length || m.workload.kind === 'Sidecar') return;
  const bs: Binding[] = [];
  recordMetadata(ctx, bs);
  ctx.rec.declare('service.enabled', 'Render the Service', m.service.enabled);
  ctx.rec.scalar(bs, '/spec/type', 'service.type', 'Service type');
  ctx.rec.include(bs, '/spec/selector', 'selectorLabels');
  const annotations = ctx.rec.merge(bs, '/metadata/annotations', 'service.annotations', 'Service annotations', { ...m.service.annotations }, ctx.mode);
  const ports = exposed.map((p, i) => {
    ctx.rec.scalar(bs, `/spec/ports/${i}/port`, `service.ports.${p.name}`, `Service port for "${p.name}"`);
    return { name: p.name, port: p.servicePort, targetPort: p.name, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) };
  });
  const obj = new ApiObject(scope, 'service', {
    apiVersion: 'v1', kind: 'Service', metadata: metadata(m, undefined, annotations),
    spec: { type: m.service.type, selector: selectorLabels(m), ports },
  });
  ctx.rec.attach(obj, bs);
  ctx.rec.toggle(obj, { key: 'service.enabled' }, 'service.yaml');
}

/** Ingress rules as `<chart>.ingressRules` renders them from `ingress.hosts`. */
export function ingressRules(fullname: string, hosts: readonly { host: string; paths: readonly { path: string; pathType: string; port: string }[] }[]) {
  return hosts.map((h) => ({
    host: h.host,
    http: { paths: h.paths.map((p) => ({ path: p.path, pathType: p.pathType, backend: { service: { name: fullname, port: { name: p.port } } } })) },
  }));
}

/** Ingress with class, hosts, paths and TLS (Helm: `ingress.*`). */
export function renderIngress(scope: Construct, ctx: RenderContext): void {
  const m = ctx.model;
  const exposed = m.container.ports.filter((p) => p.expose);
  if (!exposed.length || m.workload.kind === 'Sidecar') return;
  const spec = m.ingress.spec;
  const bs: Binding[] = [];
  recordMetadata(ctx, bs);
  ctx.rec.declare('ingress.enabled', 'Render the Ingress', m.ingress.enabled);
  const hosts = spec.hosts.map((h) => ({ host: h.host, paths: (h.paths ?? [{ path: '/' }]).map((p) => ({ path: p.path, pathType: p.pathType ?? 'Prefix', port: p.port ?? exposed[0].name })) }));
  ctx.rec.declare('ingress.hosts', 'Hosts: [{host, paths: [{path, pathType, port}]}]; a host without paths gets [{path: /}], pathType defaults to Prefix, port (a Service port name) to the first exposed port', hosts);
  ctx.rec.include(bs, '/spec/rules', 'ingressRules');
  const annotations = ctx.rec.merge(bs, '/metadata/annotations', 'ingress.annotations', 'Ingress annotations', { ...(spec.annotations ?? {}) }, ctx.mode);
  const body: Record<string, unknown> = { rules: ingressRules(m.fullname, hosts) };
  if (spec.className) body.ingressClassName = spec.className;
  ctx.rec.block(bs, '/spec/ingressClassName', 'ingress.className', 'IngressClass name', '');
  if (spec.tls?.length) body.tls = spec.tls;
  ctx.rec.block(bs, '/spec/tls', 'ingress.tls', 'TLS: [{hosts, secretName}]', []);
  const obj = new ApiObject(scope, 'ingress', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: metadata(m, undefined, annotations), spec: body });
  ctx.rec.attach(obj, bs);
  ctx.rec.toggle(obj, { key: 'ingress.enabled' }, 'ingress.yaml');
}

function peer(p: NetworkPeerSpec): Record<string, unknown> {
  if (p.cidr) return { ipBlock: { cidr: p.cidr } };
  const podLabels = p.service || p.podLabels ? { ...(p.service ? { 'app.kubernetes.io/name': p.service } : {}), ...(p.podLabels ?? {}) } : undefined;
  return {
    ...(podLabels ? { podSelector: Object.keys(podLabels).length ? { matchLabels: podLabels } : {} } : {}),
    ...(p.namespaceLabels ? { namespaceSelector: { matchLabels: p.namespaceLabels } } : {}),
  };
}

/** One policy rule; every port carries its protocol (a declared port's own, else as written, else TCP). */
export function rule(direction: 'from' | 'to', p: NetworkPeerSpec, declared: readonly PortModel[]): Record<string, unknown> {
  const ports = (p.ports ?? []).flatMap((port) => peerPortProtocols(port, declared, direction === 'from'));
  return { [direction]: [peer(p)], ...(ports.length ? { ports } : {}) };
}

/** DNS egress to kube-dns. */
export const DNS_EGRESS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};

/** NetworkPolicy: deny all in and out, then allow declared peers and DNS (Helm: `networkPolicy.*`). */
export function renderNetworkPolicy(scope: Construct, ctx: RenderContext): void {
  const m = ctx.model;
  if (m.workload.kind === 'Sidecar') return;
  const np = m.networkPolicy;
  const bs: Binding[] = [];
  recordMetadata(ctx, bs);
  ctx.rec.declare('networkPolicy.enabled', 'Render the NetworkPolicy (deny by default)', np.enabled);
  ctx.rec.include(bs, '/spec/podSelector/matchLabels', 'selectorLabels');
  const ports = m.container.ports;
  const ingress = [...np.fromRoutes, ...np.ingressFrom].map((p) => rule('from', p, ports));
  const egress = [...(np.allowDns ? [DNS_EGRESS] : []), ...np.egressTo.map((p) => rule('to', p, ports))];
  ctx.rec.block(bs, '/spec/ingress', 'networkPolicy.ingress', 'Allowed ingress rules (NetworkPolicyIngressRule list)', []);
  ctx.rec.block(bs, '/spec/egress', 'networkPolicy.egress', 'Allowed egress rules (NetworkPolicyEgressRule list; DNS included)', []);
  const obj = new ApiObject(scope, 'network-policy', {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: metadata(m),
    spec: {
      podSelector: { matchLabels: selectorLabels(m) },
      policyTypes: ['Ingress', 'Egress'],
      ...(ingress.length ? { ingress } : {}),
      ...(egress.length ? { egress } : {}),
    },
  });
  ctx.rec.attach(obj, bs);
  ctx.rec.toggle(obj, { key: 'networkPolicy.enabled' }, 'networkpolicy.yaml');
}
