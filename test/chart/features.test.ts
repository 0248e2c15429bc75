/**
 * Chart ≡ manifests beyond the examples: specs using every feature the renderer parameterizes
 * (secrets of all three sources, config files, several ports with dashed names, HTTPRoute, TLS
 * Ingress, metrics annotations, a migration, a DaemonSet with a named exception, common labels).
 * Default render and a second release equal the manifests; lint --strict passes with every
 * toggle on and off; every toggle combination stays valid against Kubernetes 1.28.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadSpecText, type LoadedService } from '../../src/spec/load';
import { renderManifestObjects } from '../../src/app/manifests';
import { helm, helmBinaries } from '../support/helm';
import { validateK8sObject, isCoreKind } from '../support/k8s-schema';
import { byKindName, setAll, template, toggleKeys, withInstance, writeChart, writeValues } from './fixture';

const SPECS: Record<string, string> = {
  'rich-deployment': `name: shop
instance: shop-eu
version: 3.1.4-rc.1
description: "Shop: front and API"
labels: { team: payments, cost-center: "1234" }
image: { registry: registry.example.com:5000, repository: acme/shop, digest: "sha256:${'a'.repeat(64)}", pullPolicy: Always }
imagePullSecrets: [regcred]
command: [/shop]
ports:
  - { name: http-api, containerPort: 8080 }
  - { name: grpc-api, containerPort: 9090, appProtocol: grpc }
  - { name: metrics, containerPort: 9100, expose: false }
health:
  startup: { tcp: { port: http-api } }
  liveness: { grpc: { port: grpc-api } }
  readiness: { http: { path: /ready, port: http-api, headers: { X-Probe: ready } } }
config:
  env: { MODE: production, RETRIES: "3" }
  files: { shop.toml: "[server]\\nport = 8080\\n" }
secrets:
  - { name: db, existingSecret: shop-db, env: { DATABASE_URL: url }, mountPath: /var/run/db }
  - name: stripe
    external: { store: aws, data: [{ secretKey: key, remoteKey: prod/stripe, property: api_key }] }
    envFromAll: true
  - name: dev-token
    inline: { allowPlaintextInOutput: true, values: { token: "not-secret" } }
    env: { DEV_TOKEN: token }
service: { type: NodePort, annotations: { a.example.com/x: "y" } }
ingress:
  className: nginx
  annotations: { nginx.ingress.kubernetes.io/proxy-body-size: 8m }
  hosts: [{ host: shop.example.com, paths: [{ path: /api, port: http-api }, { path: /grpc, pathType: Exact, port: grpc-api }] }]
  tls: [{ hosts: [shop.example.com], secretName: shop-tls }]
httpRoute: { parentRefs: [{ name: gw, namespace: infra, sectionName: https }], hostnames: [shop.example.com], paths: [/api] }
metrics: { port: metrics, mode: annotations }
migration: { command: [/shop, migrate] }
replicas: 4
pdb: { maxUnavailable: 25% }
podAnnotations: { example.com/owner: payments }
podLabels: { tier: backend }
nodeSelector: { kubernetes.io/os: linux }
tolerations: [{ key: dedicated, operator: Equal, value: shop, effect: NoSchedule }]
priorityClassName: high
resources: { requests: { cpu: 250m, memory: 256Mi }, limits: { memory: 512Mi } }
`,
  'node-agent': `name: logship
version: "2024.1"
image: { repository: acme/logship }
workload: { kind: DaemonSet }
hostPaths: [{ path: /var/log, mountPath: /host/var/log }]
security:
  exceptions: [{ name: read-node-logs, reason: reads container logs from the node, allow: [hostPath] }]
networkPolicy: { egressTo: [{ cidr: 10.0.0.0/8, ports: [9200] }] }
serviceAccount: { create: false, name: logship-reader }
resources: none
`,
};

const services: LoadedService[] = Object.entries(SPECS).flatMap(([name, text]) => loadSpecText(text, `${name}.yaml`));

describe.each(helmBinaries())('feature charts ($name)', (bin) => {
  for (const svc of services) {
    const m = svc.model;
    describe(m.fullname, () => {
      const dir = writeChart(m);

      it('renders the manifests for the default release and for another one', () => {
        for (const [release, model] of [[m.instance, m], [`${m.instance}-b`, withInstance(svc, `${m.instance}-b`)]] as const) {
          const rendered = byKindName(template(bin, release, dir));
          const expected = byKindName(renderManifestObjects(model));
          expect(Object.keys(rendered).sort(), release).toEqual(Object.keys(expected).sort());
          for (const key of Object.keys(expected)) expect(rendered[key], `${release}: ${key}`).toEqual(expected[key]);
        }
      });

      it('passes lint --strict and the Kubernetes schema with every toggle on and off', () => {
        const toggles = toggleKeys(parse(readFileSync(join(dir, 'values.yaml'), 'utf8')));
        for (const value of [true, false]) {
          const file = writeValues('toggles.yaml', setAll(toggles, value));
          const r = helm(bin, ['lint', '--strict', dir, '-f', file]);
          expect(r.status, r.stdout + r.stderr).toBe(0);
          const objects = template(bin, m.instance, dir, ['-f', file]);
          expect(objects.filter(isCoreKind).flatMap(validateK8sObject)).toEqual([]);
        }
      });
    });
  }
});
