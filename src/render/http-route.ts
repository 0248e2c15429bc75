import type { Construct } from 'constructs';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType } from '../imports/gateway.networking.k8s.io';
import { metadata, nameExpr, recordMetadata, type RenderContext } from './context';
import type { Binding } from './recorder';

/**
 * Gateway API HTTPRoute (gateway.networking.k8s.io/v1), an alternative to the Ingress: path
 * prefixes of the given hosts, attached to the given Gateways, sent to the Service port
 * (Helm: `httpRoute.enabled`, `httpRoute.parentRefs`, `httpRoute.hostnames`, `httpRoute.matches`;
 * the backend port follows `service.ports.<name>`).
 */
export function renderHttpRoute(scope: Construct, ctx: RenderContext): void {
  const m = ctx.model;
  const exposed = m.container.ports.filter((p) => p.expose);
  if (!exposed.length || m.workload.kind === 'Sidecar') return;
  const spec = m.httpRoute.spec;
  const port = exposed.find((p) => p.name === spec.port) ?? exposed[0];
  const rec = ctx.rec;
  const bs: Binding[] = [];
  recordMetadata(ctx, bs);
  rec.declare('httpRoute.enabled', 'Render a Gateway API HTTPRoute (an alternative to the Ingress)', m.httpRoute.enabled);
  rec.block(bs, '/spec/parentRefs', 'httpRoute.parentRefs', 'Gateways the route attaches to: [{name, namespace, sectionName}]');
  rec.block(bs, '/spec/hostnames', 'httpRoute.hostnames', 'Host names (empty: all of the Gateway\'s)', []);
  rec.block(bs, '/spec/rules/0/matches', 'httpRoute.matches', 'Request matches routed to the Service (HTTPRouteMatch list)');
  rec.expr(bs, '/spec/rules/0/backendRefs/0/name', nameExpr(ctx));
  rec.scalar(bs, '/spec/rules/0/backendRefs/0/port', `service.ports.${port.name}`, `Service port for "${port.name}"`);
  const hostnames = spec.hostnames ?? [];
  const obj = new HttpRoute(scope, 'http-route', {
    metadata: metadata(m),
    spec: {
      parentRefs: spec.parentRefs.map((p) => ({ name: p.name, ...(p.namespace ? { namespace: p.namespace } : {}), ...(p.sectionName ? { sectionName: p.sectionName } : {}) })),
      ...(hostnames.length ? { hostnames: [...hostnames] } : {}),
      rules: [{
        matches: (spec.paths ?? ['/']).map((value) => ({ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value } })),
        backendRefs: [{ name: m.fullname, port: port.servicePort }],
      }],
    },
  });
  rec.attach(obj, bs);
  rec.toggle(obj, { key: 'httpRoute.enabled' }, 'httproute.yaml');
}
