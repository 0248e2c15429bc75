/** Specs with environments shared by the environment and Argo CD tests. */

/** A service with every kind of override in its environments (ingress, route, external secret, config env). */
export const ENV_SPEC = `x-small: &small
  requests: { cpu: 50m, memory: 64Mi }
  limits: { memory: 128Mi }
name: shop
version: 2.1.0
image: { registry: ghcr.io, repository: acme/shop }
ports: [{ name: http, containerPort: 8080 }]
health: { http: { path: /healthz, port: http } }
config: { env: { LOG_LEVEL: info, FEATURE_X: "off" } }
secrets:
  - name: db
    external:
      store: vault-dev
      storeKind: SecretStore
      data: [{ secretKey: url, remoteKey: shop/db, property: url }]
    env: { DATABASE_URL: url }
ingress:
  className: nginx
  hosts: [{ host: shop.example.com }]
  tls: [{ hosts: [shop.example.com], secretName: shop-tls }]
httpRoute:
  enabled: false
  parentRefs: [{ name: public, namespace: gateway-system }]
  hostnames: [shop.example.com]
environments:
  dev:
    replicas: 2
    resources: *small
    env: { LOG_LEVEL: debug, FEATURE_X: "on" }
    ingress: { hosts: [{ host: shop.dev.example.com }], tls: [] }
    httpRoute: { hostnames: [shop.dev.example.com] }
    image: { tag: 2.1.0-rc.1 }
  staging:
    replicas: 3
    ingress:
      hosts: [{ host: shop.staging.example.com, paths: [{ path: /api, pathType: Prefix }] }]
      tls: [{ hosts: [shop.staging.example.com], secretName: shop-staging-tls }]
    secretStore: { name: aws-staging, kind: ClusterSecretStore }
    namespace: shop-staging
  prod:
    autoscaling: { minReplicas: 3, maxReplicas: 12, targetCPUUtilizationPercentage: 70 }
    resources: { requests: { cpu: 500m, memory: 512Mi }, limits: { memory: 1Gi } }
    secretStore: { name: aws-prod }
    image: { digest: "sha256:${'a'.repeat(64)}" }
    clusters: [{ name: eu-1, server: "https://eu-1.k8s.example.com" }, { name: us-1 }]
`;
