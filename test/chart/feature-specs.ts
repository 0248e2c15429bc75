/** Specs using every feature the renderer parameterizes (shared by the chart and projection tests). */
export const FEATURE_SPECS: Record<string, string> = {
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
  'cluster-rbac-job': `name: sweeper
instance: sweeper-nightly
version: 1.0.0
image: { repository: acme/sweeper }
workload:
  kind: CronJob
  cronJob: { schedule: "*/30 1-5 * * MON-FRI", timeZone: America/New_York, concurrencyPolicy: Replace, suspend: true }
  job: { backoffLimit: 1, activeDeadlineSeconds: 1200, restartPolicy: OnFailure }
rbac:
  clusterWide: true
  namespace: ops
  rules:
    - { apiGroups: [""], resources: [nodes], verbs: [get, list] }
    - { apiGroups: [""], resources: [configmaps], verbs: [get, patch], resourceNames: [sweeper-state] }
    - { apiGroups: [batch], resources: ["*"], verbs: [get] }
security:
  exceptions: [{ name: any-batch-kind, reason: reads every batch resource kind to report stale ones, allow: [rbacWildcard] }]
config: { env: { DRY_RUN: "false" } }
`,
  'one-off-job': `name: backfill
version: 2.0.0
image: { repository: acme/backfill }
command: [/backfill]
workload: { kind: Job }
rbac:
  rules: [{ apiGroups: [""], resources: [configmaps], verbs: [get] }]
secrets: [{ name: db, existingSecret: backfill-db, envFromAll: true }]
`,
  'stateful-storage': `name: queue
instance: queue-eu
version: 2.0.0
image: { repository: acme/queue }
workload:
  kind: StatefulSet
  statefulSet:
    podManagementPolicy: Parallel
    partition: 1
    persistentVolumeClaimRetentionPolicy: { whenScaled: Delete }
    volumeClaims:
      - { name: data, size: 2Gi, storageClass: fast, mountPath: /var/lib/queue }
      - { name: wal, size: 512Mi, accessModes: [ReadWriteOncePod], mountPath: /var/lib/wal }
replicas: 3
ports:
  - { name: amqp, containerPort: 5672 }
  - { name: dns, containerPort: 53, protocol: UDP, expose: false }
security: { runAsGroup: 0, capabilities: { add: [NET_BIND_SERVICE] } }
volumes:
  - { name: cache, emptyDir: { sizeLimit: 64Mi, medium: Memory } }
  - { name: spool, persistentVolumeClaim: { size: 1Gi, accessModes: [ReadWriteMany] } }
  - { name: shared, persistentVolumeClaim: { claimName: team-share } }
  - { name: ca, configMap: { name: trust-bundle } }
  - { name: token, projected: { sources: [{ serviceAccountToken: { path: t, audience: vault } }] } }
mounts:
  - { volume: cache, mountPath: /cache }
  - { volume: spool, mountPath: /spool }
  - { volume: shared, mountPath: /shared, subPath: queue }
  - { volume: ca, mountPath: /etc/ca }
  - { volume: token, mountPath: /var/run/vault }
`,
  // Escape hatches (issue 15): init containers, raw extra objects and JSON patches, with hostile text.
  'escape-hatches': `name: gate
version: 1.0.0
image: { repository: acme/gate }
ports: [{ name: http, containerPort: 8080 }]
podAnnotations: { example.com/owner: edge }
volumes: [{ name: work, emptyDir: {} }]
mounts: [{ volume: work, mountPath: /work }]
initContainers:
  - name: prepare
    image: "busybox:1.36"
    command: [sh, -c, 'echo "{{ .Release.Name }}" > /work/x']
    env: { GREETING: "a: b\\n<<: {{ x }}" }
    resources: { limits: { memory: 64Mi } }
    mounts: [{ volume: work, mountPath: /work }]
  - { name: check, args: [--check] }
extraObjects:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: gate-extra, labels: { tier: edge }, annotations: { note: "{{ .Values.x }}" } }
    data: { template: "{{ include \\"x\\" . }}", "<<": "merge key", multi: "line one\\nline two" }
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata: { name: gate-reader }
    rules: [{ apiGroups: [""], resources: [configmaps], verbs: [get] }]
  - apiVersion: monitoring.coreos.com/v1
    kind: ServiceMonitor
    metadata: { name: gate-extra-monitor }
    spec: { selector: { matchLabels: { app.kubernetes.io/name: gate } }, endpoints: [{ port: http }] }
patches:
  - kind: Deployment
    ops:
      - { op: add, path: /spec/template/spec/containers/0/resources/limits/cpu, value: "2" }
      - { op: add, path: /spec/template/metadata/annotations/example.com~1patched, value: "{{ yes }}" }
      - { op: add, path: /spec/minReadySeconds, value: 10 }
  - kind: Service
    ops: [{ op: add, path: /spec/sessionAffinity, value: ClientIP }]
`,
};
