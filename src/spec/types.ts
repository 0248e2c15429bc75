/**
 * The Slipway service spec: the one declaration of a service.
 *
 * These interfaces are the single source of truth: the JSON Schema in
 * `schema/slipway.schema.json` (used for validation and by editors) is generated from them
 * (`npm run schema`), and the TypeScript API takes them as construct props. Every field's doc
 * comment states its default. Keep field docs in sync with behaviour: tests check the defaults.
 */

/** A Kubernetes quantity such as `100m`, `0.5`, `128Mi`. @pattern ^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$ @patternMessage a Kubernetes quantity such as 100m, 0.5 or 128Mi */
export type Quantity = string;

/** A whole number: every numeric field of a spec is an integer field (int32) in Kubernetes. @asType integer */
export type Integer = number;

/** A DNS-1123 label: lower-case alphanumerics and `-`, 1-63 characters. @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ @maxLength 63 @patternMessage lower-case letters, digits and "-", starting and ending with a letter or digit */
export type DnsLabel = string;

/** Environment variable name. @pattern ^[A-Za-z_][A-Za-z0-9_.-]*$ @patternMessage an environment variable name: letters, digits, "_", "." and "-", not starting with a digit */
export type EnvName = string;

/** An absolute path inside the container, on one line. @pattern ^/[^\x00-\x1f\x7f\u0085\u2028\u2029]*$ @patternMessage a path starting with "/", on one line (no line breaks, tabs or other control characters) */
export type AbsolutePath = string;

/** One service. A spec file holds one or more of these as YAML documents separated by `---`. */
export interface ServiceSpec {
  /** Schema version of this document. @default "slipway.dev/v1alpha1" */
  apiVersion?: 'slipway.dev/v1alpha1';
  /** Document kind. @default "Service" */
  kind?: 'Service';
  /** Service name: the chart name, `app.kubernetes.io/name`, and the base of every object name. @maxLength 40 */
  name: DnsLabel;
  /** Instance (Helm release) name: `app.kubernetes.io/instance`. @default the service name @maxLength 40 */
  instance?: DnsLabel;
  /** Version of the application: `app.kubernetes.io/version`, the chart's appVersion and the default image tag. */
  version: Version;
  /** One-line description, used in Chart.yaml and image labels. @default "<name> service" */
  description?: OneLine;
  /** `app.kubernetes.io/component`. @default "server" (or "agent" for a DaemonSet, "sidecar" for a sidecar, "job" for a Job or CronJob) */
  component?: DnsLabel;
  /** `app.kubernetes.io/part-of`. @default omitted */
  partOf?: DnsLabel;
  /** Extra labels put on every object (Helm: `commonLabels`). @default {} */
  labels?: Record<string, string>;
  /** The container image. */
  image: ImageSpec;
  /** How the service runs: a Deployment, a DaemonSet (node agent) or a sidecar. @default { kind: "Deployment" } */
  workload?: WorkloadSpec;
  /** Overrides the image ENTRYPOINT. @default the image's */
  command?: string[];
  /** Overrides the image CMD. @default the image's */
  args?: string[];
  /** Working directory of the container. @default the image's */
  workingDir?: AbsolutePath;
  /** Ports the container listens on. Probes may only target these. @default [] */
  ports?: PortSpec[];
  /** Health endpoints: one declaration drives startup, liveness and readiness probes. @default no probes */
  health?: HealthSpec;
  /** Non-secret configuration: a ConfigMap of env vars and files. @default none */
  config?: ConfigSpec;
  /** Secret configuration, by reference (existing Secret or ExternalSecret) or, opted in, inline. @default [] */
  secrets?: SecretSpec[];
  /** The Service in front of the pods. @default a ClusterIP Service when any port is exposed */
  service?: ServiceExposureSpec;
  /** Ingress routing. @default none */
  ingress?: IngressSpec;
  /** Gateway API HTTPRoute, an alternative to Ingress. @default none */
  httpRoute?: HttpRouteSpec;
  /** NetworkPolicy: deny by default, allow what is declared. @default enabled, DNS egress allowed */
  networkPolicy?: NetworkPolicySpec;
  /** Fixed replica count; not allowed together with `autoscaling`. @default 2 @minimum 0 */
  replicas?: Integer;
  /** HorizontalPodAutoscaler (autoscaling/v2). @default none */
  autoscaling?: AutoscalingSpec;
  /** PodDisruptionBudget (policy/v1). @default enabled with maxUnavailable 1 */
  pdb?: PdbSpec;
  /** Spread pods over zones and nodes. @default enabled (zone and hostname, ScheduleAnyway) */
  spread?: SpreadSpec;
  /** Graceful shutdown. @default terminationGracePeriodSeconds 30, no preStop */
  shutdown?: ShutdownSpec;
  /** CPU/memory requests and limits, merged per resource with the defaults (an amount left out keeps its default, `none` removes it); `"none"` switches them all off. See docs/defaults.md. @default requests cpu 100m / memory 128Mi / ephemeral-storage 64Mi, limits memory 256Mi / ephemeral-storage 1Gi */
  resources?: ResourcesSpec | 'none';
  /** Pod and container security. @default Pod Security Standards "restricted" */
  security?: SecuritySpec;
  /** The ServiceAccount the pods run as. @default a dedicated one, token automount off (on when `rbac` is declared) */
  serviceAccount?: ServiceAccountSpec;
  /** Kubernetes API permissions of the service's ServiceAccount: a Role and RoleBinding (or ClusterRole and ClusterRoleBinding). Least privilege: no wildcard unless a `security.exceptions` entry allows `rbacWildcard`. @default none */
  rbac?: RbacSpec;
  /** Annotations on the pod template. @default {} */
  podAnnotations?: Record<string, string>;
  /** Extra labels on the pod template (never used in selectors). @default {} */
  podLabels?: Record<string, string>;
  /** Node selector for the pods. @default {} */
  nodeSelector?: Record<string, string>;
  /** Use the node's network namespace (a node agent listening on node IPs). Needs a `security.exceptions` entry allowing `hostNetwork`. @default false */
  hostNetwork?: boolean;
  /** Directories or files of the node mounted into the container. Each needs a `security.exceptions` entry allowing `hostPath`. @default [] */
  hostPaths?: HostPathSpec[];
  /** Extra pod volumes: PersistentVolumeClaims (created or existing), emptyDirs, ConfigMaps, Secrets and projected volumes, each mounted through `mounts`. @default [] */
  volumes?: VolumeSpec[];
  /** Mounts of `volumes` into the main container, by volume name. @default [] */
  mounts?: MountSpec[];
  /**
   * Init containers (Bitnami's `initContainers`): run one after another, each to completion, before
   * the main container starts (wait for a dependency, prepare a shared volume). Each gets the main
   * container's PSS-restricted security context, the writable-path emptyDirs and default resources.
   * Rendered in the pod template of every workload kind, after any native sidecar.
   * Helm: `initContainers` (a list whose default is these containers; values.schema.json closes it).
   * @default []
   */
  initContainers?: InitContainerSpec[];
  /** Tolerations for the pods. @default [] */
  tolerations?: TolerationSpec[];
  /** Priority class of the pods. @default none */
  priorityClassName?: string;
  /** Names of image pull secrets. @default [] */
  imagePullSecrets?: string[];
  /** Metrics: a ServiceMonitor or Prometheus scrape annotations. @default none */
  metrics?: MetricsSpec;
  /** A migration Job that runs before each rollout. @default none */
  migration?: MigrationSpec;
  /** How the image is built (Dockerfile + docker-bake.hcl). @default none: no image definition is written */
  build?: BuildSpec;
  /**
   * Raw Kubernetes objects added to the output (Bitnami's `extraDeploy`), each a complete object
   * (`apiVersion`, `kind`, `metadata.name`) validated strictly against the Kubernetes 1.28 API and
   * the CRDs Slipway knows; Slipway adds its standard labels and leaves the namespace to the
   * release (a `metadata.namespace` is refused). Cluster-scoped kinds, bindings to `cluster-admin`,
   * RBAC wildcards and pod specs outside Pod Security "restricted" are refused unless a
   * `security.exceptions` entry naming the object (`objects: [Kind/name]`) allows them.
   * In the chart: one template per object, written as data (no Helm expressions are evaluated).
   * See docs/workload-variants.md. @default []
   */
  extraObjects?: ExtraObjectSpec[];
  /**
   * JSON patches (RFC 6902: `add`, `replace`, `remove`) on the objects Slipway generates, selected
   * by kind and name (the name in the manifests), applied last, in order, in the manifests and
   * baked into the chart's templates (a field a patch touches no longer follows the values). The
   * result is checked again: strict Kubernetes 1.28 schema, Pod Security "restricted" (unless a
   * `security.exceptions` entry naming the object allows the difference), and no change of an
   * object's identity (apiVersion, kind, name, namespace, selector). @default []
   */
  patches?: PatchSpec[];
  /** Argo CD sync options. @default sync waves on ordered resources */
  gitops?: GitOpsSpec;
  /** The Helm chart's own version and its Chart.yaml metadata (Artifact Hub, helm search). See docs/chart-conventions.md. @default version "0.1.0", no metadata */
  chart?: ChartSpec;
  /**
   * Environments (e.g. dev, staging, prod): name -> typed overrides of this spec. Each renders to
   * `dist/<env>/<fullname>/manifests/` and to `values-<env>.yaml` in the chart (which then replaces
   * the fixed values-dev/values-prod overlays). Names are DNS labels; `argocd` is reserved.
   * @default none: one set of manifests, as without environments
   */
  environments?: Record<string, EnvironmentSpec>;
}

/** Container image reference (Bitnami layout). */
export interface ImageSpec {
  /** Registry host, e.g. `ghcr.io`. @default "" (Docker Hub / none) */
  registry?: string;
  /** Repository, e.g. `acme/ghillie`. */
  repository: string;
  /** Tag. @default the service `version` */
  tag?: string;
  /** Digest (`sha256:...`); when set it pins the image. @default "" @pattern ^(sha256:[a-f0-9]{64})?$ @patternMessage empty or a sha256 digest: "sha256:" and 64 lower-case hex digits */
  digest?: string;
  /** Pull policy. @default "IfNotPresent" */
  pullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
}

/** The workload kind and its kind-specific settings. */
export interface WorkloadSpec {
  /** Deployment (web service), DaemonSet (node agent), StatefulSet (stable identity and a volume per replica), Sidecar (added to another workload), Job (a one-off run) or CronJob (scheduled runs). @default "Deployment" */
  kind?: 'Deployment' | 'DaemonSet' | 'StatefulSet' | 'Sidecar' | 'Job' | 'CronJob';
  /** Rollout strategy of a Deployment or DaemonSet. @default Deployment: RollingUpdate maxSurge 25% maxUnavailable 0; DaemonSet: maxUnavailable 1 */
  updateStrategy?: UpdateStrategySpec;
  /** For `Sidecar`: where the container is added. */
  sidecar?: SidecarSpec;
  /** For `Job` and `CronJob`: how one run is retried, bounded and cleaned up. @default backoffLimit 6, restartPolicy Never, no deadline, kept after it finishes */
  job?: JobSpec;
  /** For `CronJob` (required there): when runs start and how they overlap. */
  cronJob?: CronJobSpec;
  /** For `StatefulSet`: ordering, partitioned rollouts and the volume claims of each replica. @default {} */
  statefulSet?: StatefulSetSpec;
}

/** One run of a Job or CronJob (batch/v1 JobSpec). */
export interface JobSpec {
  /** Retries before the run is marked failed. @default 6 @minimum 0 @maximum 1000 */
  backoffLimit?: Integer;
  /** Seconds a run may take before it is failed (its pods are killed). @default none: no deadline @minimum 1 */
  activeDeadlineSeconds?: Integer;
  /** Only for `kind: Job`: seconds a finished Job is kept before Kubernetes deletes it. Under Argo CD auto-sync or `helm upgrade`, a deleted one-off Job is created again and runs again: leave it unset unless that is what you want (a CronJob's history limits clean up its runs instead). @default none: kept @minimum 0 */
  ttlSecondsAfterFinished?: Integer;
  /** `Never`: a failed container fails its pod and a new pod is retried (logs of each attempt stay). `OnFailure`: the container restarts in the same pod. @default "Never" */
  restartPolicy?: 'Never' | 'OnFailure';
}

/** The schedule of a CronJob (batch/v1 CronJobSpec). */
export interface CronJobSpec {
  /** Cron schedule: five fields (minute hour day-of-month month day-of-week; `*`, lists, ranges, steps, JAN-DEC, SUN-SAT) or one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly. @pattern ^[^\x00-\x1f\x7f]+$ @patternMessage a cron schedule on one line, such as "0 3 * * *" or @daily */
  schedule: string;
  /** IANA time zone the schedule is read in, e.g. `Europe/Berlin`. @default "Etc/UTC" (never the controller manager's local time) @pattern ^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$ @patternMessage an IANA time zone name such as Etc/UTC or Europe/Berlin */
  timeZone?: string;
  /** What happens when a run is due while the previous one still runs: `Forbid` skips the new run, `Replace` stops the old one, `Allow` runs both. @default "Forbid" */
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /** Seconds after its scheduled time a missed run may still start; later it is skipped. @default 300 @minimum 10 */
  startingDeadlineSeconds?: Integer;
  /** Finished successful runs kept. @default 3 @minimum 0 */
  successfulJobsHistoryLimit?: Integer;
  /** Finished failed runs kept. @default 1 @minimum 0 */
  failedJobsHistoryLimit?: Integer;
  /** Start no new runs (runs already started continue). @default false */
  suspend?: boolean;
}

/** StatefulSet settings: pods `<fullname>-0..n-1`, each with its own PersistentVolumeClaims, found through a headless Service `<fullname>-headless`. */
export interface StatefulSetSpec {
  /** `OrderedReady` starts and stops pods one by one in ordinal order; `Parallel` all at once. @default "OrderedReady" */
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  /** Rolling update partition: only pods with an ordinal >= partition are updated (a canary of the highest ordinals). @default 0 @minimum 0 */
  partition?: Integer;
  /** One PersistentVolumeClaim per replica and entry (`<name>-<fullname>-<ordinal>`), mounted in the main container. @default [] */
  volumeClaims?: VolumeClaimSpec[];
  /** What happens to the claims when the StatefulSet is deleted or scaled down. @default { whenDeleted: "Retain", whenScaled: "Retain" } */
  persistentVolumeClaimRetentionPolicy?: ClaimRetentionSpec;
  /** Publish not-ready pods in the headless Service's DNS, so peers find each other while they start (cluster formation). @default true */
  publishNotReadyAddresses?: boolean;
}

/** A PersistentVolumeClaim template of a StatefulSet. */
export interface VolumeClaimSpec {
  /** Claim and volume name (a DNS-1123 label). */
  name: DnsLabel;
  /** Requested storage, e.g. `10Gi`. */
  size: StorageSize;
  /** StorageClass name; omit for the cluster's default class. @default omitted */
  storageClass?: string;
  /** Access modes. @default ["ReadWriteOnce"] @minItems 1 */
  accessModes?: ('ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod')[];
  /** Where the main container mounts it. */
  mountPath: AbsolutePath;
}

/** persistentVolumeClaimRetentionPolicy of a StatefulSet. */
export interface ClaimRetentionSpec {
  /** @default "Retain" */
  whenDeleted?: 'Retain' | 'Delete';
  /** @default "Retain" */
  whenScaled?: 'Retain' | 'Delete';
}

/** Rolling update parameters. */
export interface UpdateStrategySpec {
  /** Pods that may be unavailable during the update (number or percentage up to 100%). @minimum 0 @pattern ^([0-9]|[1-9][0-9]|100)%$ @patternMessage a whole number, or a whole percentage from 0% to 100% such as "25%" */
  maxUnavailable?: Integer | string;
  /** Extra pods allowed during the update (number or percentage). @minimum 0 @pattern ^[0-9]+%$ @patternMessage a whole number, or a whole percentage such as "25%" */
  maxSurge?: Integer | string;
}

/** Placement of a sidecar container. */
export interface SidecarSpec {
  /** Name of another service in the same spec set to attach to; omit when attaching from TypeScript to your own workload. */
  host?: DnsLabel;
  /** `native`: an init container with restartPolicy Always (Kubernetes >= 1.29, or 1.28 with the SidecarContainers feature gate; starts before the app containers, may have probes). `container`: a classic co-container. @default "native" */
  mode?: 'native' | 'container';
  /** Volumes shared between host and sidecar: volume name -> mount path (an emptyDir mounted at that path in the host's containers and the sidecar). @default {} */
  sharedVolumes?: Record<string, AbsolutePath>;
}

/** An IP protocol of a port. */
export type PortProtocol = 'TCP' | 'UDP' | 'SCTP';

/** A port the container listens on. */
export interface PortSpec {
  /** IANA-style port name (used by the Service and named probes). @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ @maxLength 15 @patternMessage lower-case letters, digits and "-", starting and ending with a letter or digit */
  name: string;
  /** Port number in the container. @minimum 1 @maximum 65535 */
  containerPort: Integer;
  /** Protocol; the Service and NetworkPolicy ports use the same one. @default "TCP" */
  protocol?: PortProtocol;
  /** Port on the Service. @default containerPort @minimum 1 @maximum 65535 */
  servicePort?: Integer;
  /** Whether the Service exposes this port. @default true */
  expose?: boolean;
  /** appProtocol hint on the Service port, e.g. `http`, `grpc`. @default omitted */
  appProtocol?: string;
  /** Port opened on the node's IP. Needs a `security.exceptions` entry allowing `hostPort`. @default none @minimum 1 @maximum 65535 */
  hostPort?: Integer;
}

/** A path of the node mounted into the container (hostPath volume). */
export interface HostPathSpec {
  /** Path on the node, e.g. `/var/log`. */
  path: AbsolutePath;
  /** Where the container sees it. @default the same path */
  mountPath?: AbsolutePath;
  /** Mount read-only. @default true */
  readOnly?: boolean;
  /** hostPath type checked by the kubelet; `""` checks nothing (Kubernetes' own default). @default "Directory" */
  type?: '' | 'Directory' | 'DirectoryOrCreate' | 'File' | 'FileOrCreate' | 'Socket';
}

/** One health check: exactly one of http, grpc, tcp, exec. */
export interface HealthCheckSpec {
  /** HTTP GET check. */
  http?: HttpCheckSpec;
  /** gRPC Health Checking Protocol v1 check. */
  grpc?: GrpcCheckSpec;
  /** TCP connect check. */
  tcp?: TcpCheckSpec;
  /** Command run in the container (needs the command in the image; distroless has no shell). */
  exec?: ExecCheckSpec;
}

/** HTTP GET check. */
export interface HttpCheckSpec {
  /** Request path. @pattern ^/ @patternMessage a path starting with "/" */
  path: string;
  /** Port name or number; must be a declared container port. @default the first declared port */
  port?: string | Integer;
  /** Scheme. @default "HTTP" */
  scheme?: 'HTTP' | 'HTTPS';
  /** Request headers: name -> value. @default {} */
  headers?: Record<string, string>;
}

/** gRPC check (Kubernetes gRPC probe). */
export interface GrpcCheckSpec {
  /** Port name or number; must be a declared container port. @default the first declared port */
  port?: string | Integer;
  /** gRPC health service name. @default "" (the server's overall health) */
  service?: string;
}

/** TCP connect check. */
export interface TcpCheckSpec {
  /** Port name or number; must be a declared container port. @default the first declared port */
  port?: string | Integer;
}

/** Exec check. */
export interface ExecCheckSpec {
  /** Command and arguments (no shell unless you name one). @minItems 1 */
  command: string[];
}

/** Probe timings. */
export interface ProbeTimingSpec {
  /** @minimum 0 */
  initialDelaySeconds?: Integer;
  /** @minimum 1 */
  periodSeconds?: Integer;
  /** @minimum 1 */
  timeoutSeconds?: Integer;
  /** @minimum 1 */
  failureThreshold?: Integer;
}

/** One probe: its own check (else the shared one), timings, and an on/off switch. */
export interface ProbeSpec extends HealthCheckSpec, ProbeTimingSpec {
  /** Whether this probe is rendered. A probe with no check (neither its own nor a shared one) is absent. @default true when the probe has a check */
  enabled?: boolean;
}

/**
 * Health endpoints. The top-level check is used by every probe unless the probe names its own.
 * Defaults: startup period 5s x 30 failures (150s to start), liveness period 10s x 3 failures
 * timeout 3s, readiness period 5s x 3 failures timeout 2s (so liveness never equals readiness).
 */
export interface HealthSpec extends HealthCheckSpec {
  /** Startup probe (holds liveness/readiness until the app has started). @default the shared check, period 5 x 30 */
  startup?: ProbeSpec;
  /** Liveness probe (restart when it fails). @default the shared check, period 10, timeout 3, failures 3 */
  liveness?: ProbeSpec;
  /** Readiness probe (take out of load balancing when it fails). @default the shared check, period 5, timeout 2, failures 3 */
  readiness?: ProbeSpec;
  /** Allow liveness and readiness to be identical (usually a mistake: a slow dependency restarts pods). @default false */
  allowIdenticalLivenessAndReadiness?: boolean;
}

/** Non-secret configuration. */
export interface ConfigSpec {
  /** Env vars put in the ConfigMap and loaded with envFrom. @default {} */
  env?: Record<EnvName, string>;
  /** Files put in the ConfigMap: file name -> content. @default {} */
  files?: Record<string, string>;
  /** Files put in the ConfigMap: file name -> path of a file to read, relative to the spec file. @default {} */
  filesFrom?: Record<string, string>;
  /** Where the files are mounted. @default "/etc/<name>" */
  mountPath?: AbsolutePath;
}

/** One secret source and how the container consumes it. Exactly one of existingSecret, external, inline. */
export interface SecretSpec {
  /** Logical name; a generated Secret or ExternalSecret is named `<fullname>-<name>`. */
  name: DnsLabel;
  /** Name of an existing Secret in the namespace. */
  existingSecret?: string;
  /** An ExternalSecret (external-secrets.io) that fills a Secret from a secret store. */
  external?: ExternalSecretSourceSpec;
  /** Inline values, written in plain text into the output: only with `allowPlaintextInOutput: true`. */
  inline?: InlineSecretSpec;
  /** Env vars from keys of the secret: ENV_NAME -> key. @default {} */
  env?: Record<EnvName, string>;
  /** Load every key as an env var (envFrom). @default false */
  envFromAll?: boolean;
  /** Mount the keys as files at this path. @default not mounted */
  mountPath?: AbsolutePath;
}

/** ExternalSecret source. */
export interface ExternalSecretSourceSpec {
  /** Name of the SecretStore / ClusterSecretStore, e.g. one backed by AWS Secrets Manager. */
  store: string;
  /** Kind of the store. @default "ClusterSecretStore" */
  storeKind?: 'SecretStore' | 'ClusterSecretStore';
  /** How often to re-read the store. @default "1h" */
  refreshInterval?: string;
  /** Keys of the resulting Secret and where each comes from. @minItems 1 */
  data: ExternalSecretDataSpec[];
}

/** One key of an ExternalSecret. */
export interface ExternalSecretDataSpec {
  /** Key in the resulting Secret. */
  secretKey: string;
  /** Name of the secret in the store (e.g. the AWS Secrets Manager secret name). */
  remoteKey: string;
  /** JSON property inside the remote secret. @default the whole value */
  property?: string;
  /** Version of the remote secret; changing it rolls the pods. @default latest */
  version?: string;
}

/** Inline secret values (written in plain text into the output). */
export interface InlineSecretSpec {
  /** Must be `true`: you accept that these values appear in the generated YAML and chart. */
  allowPlaintextInOutput: boolean;
  /** key -> value. */
  values: Record<string, string>;
}

/** The Service. */
export interface ServiceExposureSpec {
  /** Whether to render the Service. @default true when any port is exposed */
  enabled?: boolean;
  /** Service type. @default "ClusterIP" */
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  /** Service annotations. @default {} */
  annotations?: Record<string, string>;
}

/** Ingress (networking.k8s.io/v1). */
export interface IngressSpec {
  /** Whether to render the Ingress (Helm: `ingress.enabled`). @default true */
  enabled?: boolean;
  /** IngressClass name. @default omitted (cluster default class) */
  className?: string;
  /** Namespace of the ingress controller's pods, which the NetworkPolicy lets in on the routed ports (see `networkPolicy.allowFromRoutes`). @default "ingress-nginx" */
  controllerNamespace?: DnsLabel;
  /** Ingress annotations. @default {} */
  annotations?: Record<string, string>;
  /** Hosts and their paths. @minItems 1 */
  hosts: IngressHostSpec[];
  /** TLS: hosts and the Secret holding their certificate. @default [] */
  tls?: IngressTlsSpec[];
}

/** One Ingress host. */
export interface IngressHostSpec {
  /** Host name. */
  host: string;
  /** Paths routed to the Service. @default [{ path: "/", pathType: "Prefix" }] */
  paths?: IngressPathSpec[];
}

/** One routed path. */
export interface IngressPathSpec {
  /** Path. @pattern ^/ @patternMessage a path starting with "/" */
  path: string;
  /** Path type. @default "Prefix" */
  pathType?: 'Prefix' | 'Exact' | 'ImplementationSpecific';
  /** Name of the exposed port to route to. @default the first exposed port */
  port?: string;
}

/** TLS for Ingress hosts. */
export interface IngressTlsSpec {
  /** Hosts covered by the certificate. */
  hosts: string[];
  /** Secret with the certificate (e.g. issued by cert-manager). */
  secretName: string;
}

/** Gateway API HTTPRoute (gateway.networking.k8s.io/v1). */
export interface HttpRouteSpec {
  /** Whether to render the HTTPRoute (Helm: `httpRoute.enabled`). @default true */
  enabled?: boolean;
  /** Gateways to attach to. @minItems 1 */
  parentRefs: HttpRouteParentSpec[];
  /** Host names. @default [] (all of the Gateway's) */
  hostnames?: string[];
  /** Path prefixes routed to the Service. @default ["/"] */
  paths?: string[];
  /** Name of the exposed port to route to. @default the first exposed port */
  port?: string;
  /** Namespace of the Gateway's proxy pods, which the NetworkPolicy lets in on the routed port (see `networkPolicy.allowFromRoutes`). @default the first parentRef's namespace, else the route's own namespace */
  gatewayNamespace?: DnsLabel;
}

/** A Gateway reference. */
export interface HttpRouteParentSpec {
  /** Gateway name. */
  name: string;
  /** Gateway namespace. @default the route's namespace */
  namespace?: string;
  /** Listener section name. @default omitted */
  sectionName?: string;
}

/** NetworkPolicy. */
export interface NetworkPolicySpec {
  /** Whether to render the NetworkPolicy. @default true */
  enabled?: boolean;
  /** Who may connect in. Each peer may be limited to some exposed ports. @default [] (nobody) */
  ingressFrom?: NetworkPeerSpec[];
  /** Where the pods may connect out to (beyond DNS). @default [] */
  egressTo?: NetworkPeerSpec[];
  /** Allow DNS (UDP/TCP 53) to kube-dns. @default true */
  allowDns?: boolean;
  /** Let the declared Ingress's controller namespace and the HTTPRoute's Gateway namespace in on the routed ports. @default true */
  allowFromRoutes?: boolean;
}

/** A network peer. */
export interface NetworkPeerSpec {
  /** Pods with these labels (in `namespaceLabels` namespaces, else the same namespace). */
  podLabels?: Record<string, string>;
  /** Namespaces with these labels, e.g. `kubernetes.io/metadata.name: ingress-nginx`. */
  namespaceLabels?: Record<string, string>;
  /** An IP block in CIDR notation. */
  cidr?: string;
  /** Pods of another Slipway service: `app.kubernetes.io/name: <service>` (in `namespaceLabels` namespaces, else the same namespace). */
  service?: DnsLabel;
  /** Ports: names of the service's ports (ingress) or numbers (egress); a number is TCP unless given as `{ port, protocol }`. @default all */
  ports?: (string | Integer | PeerPortSpec)[];
}

/** A port of a network peer with its protocol. */
export interface PeerPortSpec {
  /** Port number, or (ingress) the name of a declared port. @minimum 1 @maximum 65535 */
  port: string | Integer;
  /** Protocol. @default "TCP" (or, for a declared port, its protocol) */
  protocol?: PortProtocol;
}

/** HorizontalPodAutoscaler. */
export interface AutoscalingSpec {
  /** Whether to render the HPA (Helm: `autoscaling.enabled`). @default true */
  enabled?: boolean;
  /** @minimum 1 @default 2 */
  minReplicas?: Integer;
  /** @minimum 1 */
  maxReplicas: Integer;
  /** Target average CPU utilization in percent of requests. @minimum 1 @maximum 1000 @default 80 */
  targetCPUUtilizationPercentage?: Integer;
  /** Target average memory utilization in percent of requests. @minimum 1 @maximum 1000 @default none */
  targetMemoryUtilizationPercentage?: Integer;
}

/** PodDisruptionBudget. */
export interface PdbSpec {
  /** Whether to render the PDB. @default true for Deployments */
  enabled?: boolean;
  /** Minimum available pods (number or percentage up to 100%); exclusive with maxUnavailable. @minimum 0 @pattern ^([0-9]|[1-9][0-9]|100)%$ @patternMessage a whole number, or a whole percentage from 0% to 100% such as "25%" */
  minAvailable?: Integer | string;
  /** Maximum unavailable pods (number or percentage up to 100%). @default 1 @minimum 0 @pattern ^([0-9]|[1-9][0-9]|100)%$ @patternMessage a whole number, or a whole percentage from 0% to 100% such as "25%" */
  maxUnavailable?: Integer | string;
  /** policy/v1 unhealthyPodEvictionPolicy. @default "AlwaysAllow" */
  unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
}

/** Topology spread. */
export interface SpreadSpec {
  /** Whether to render topologySpreadConstraints. @default true for Deployments */
  enabled?: boolean;
  /** Topology keys, one constraint each. @default ["topology.kubernetes.io/zone", "kubernetes.io/hostname"] */
  topologyKeys?: string[];
  /** @default 1 @minimum 1 */
  maxSkew?: Integer;
  /** @default "ScheduleAnyway" */
  whenUnsatisfiable?: 'ScheduleAnyway' | 'DoNotSchedule';
}

/** Graceful shutdown. */
export interface ShutdownSpec {
  /** Seconds between SIGTERM and SIGKILL. @default 30 @minimum 0 */
  terminationGracePeriodSeconds?: Integer;
  /** Sleep this long in a preStop hook before SIGTERM so load balancers drain (runs `sleep` in the image). @default none @minimum 1 */
  preStopSleepSeconds?: Integer;
}

/** Requests and limits. */
export interface ResourcesSpec {
  /** @default { cpu: "100m", memory: "128Mi", "ephemeral-storage": "64Mi" } */
  requests?: ResourceAmountsSpec;
  /** @default { memory: "256Mi", "ephemeral-storage": "1Gi" } */
  limits?: ResourceAmountsSpec;
}

/** CPU / memory / ephemeral storage amounts. Each one left out keeps its default; `none` removes it. */
export interface ResourceAmountsSpec {
  cpu?: QuantityOrNone;
  memory?: QuantityOrNone;
  'ephemeral-storage'?: QuantityOrNone;
}

/** A Kubernetes quantity, or `none` to remove Slipway's default for this resource. @pattern ^(none|[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?)$ @patternMessage a Kubernetes quantity such as 100m, 0.5 or 128Mi, or none to remove the default */
export type QuantityOrNone = string;

/** Pod and container security. Defaults meet Pod Security Standards "restricted". */
export interface SecuritySpec {
  /** Numeric uid (also the Dockerfile USER). @default 10001 @minimum 1 */
  runAsUser?: Integer;
  /** Numeric gid; 0 (the root group, as OpenShift-style images expect) is allowed by Pod Security "restricted", the uid still is not 0. @default 10001 @minimum 0 */
  runAsGroup?: Integer;
  /** fsGroup for mounted volumes. @default runAsGroup @minimum 0 */
  fsGroup?: Integer;
  /** Read-only root filesystem; writable paths become emptyDir mounts. @default true */
  readOnlyRootFilesystem?: boolean;
  /** Paths that must be writable (emptyDir volumes). @default ["/tmp"] */
  writablePaths?: AbsolutePath[];
  /** Named, explained exceptions to the restricted profile (e.g. a log shipper reading hostPath /var/log). @default [] */
  exceptions?: SecurityExceptionSpec[];
  /** Linux capabilities of the main container beyond "drop ALL". @default { add: [] } */
  capabilities?: CapabilitiesSpec;
}

/** Capabilities added back after `drop: [ALL]`. */
export interface CapabilitiesSpec {
  /** Capabilities to add: Pod Security "restricted" allows only `NET_BIND_SERVICE` (bind ports below 1024 as non-root). @default [] */
  add?: CapabilityName[];
}

/** A Linux capability name without the `CAP_` prefix, e.g. `NET_BIND_SERVICE`. @pattern ^[A-Z][A-Z0-9_]*$ @patternMessage a capability name in capitals without the CAP_ prefix, such as NET_BIND_SERVICE */
export type CapabilityName = string;

/**
 * An explicit opt-out of part of the restricted profile, annotated in the output
 * (`slipway.dev/security-exception.<name>: <allowed>: <reason>`). `hostPath`, `hostNetwork` and
 * `hostPort` permit what `hostPaths`, `hostNetwork` and `ports[].hostPort` request (each request
 * needs one, and an exception must be used); `runAsRoot` runs the pod as uid/gid 0;
 * `appArmorOverride` / `seccompOverride` permit AppArmor (`container.apparmor.security.beta.kubernetes.io/*`)
 * / seccomp alpha (`[container.]seccomp.security.alpha.kubernetes.io/*`) keys in `podAnnotations`, in the spec
 * and in the chart's values (seccompOverride also lets the chart's seccompProfile be `Unconfined`);
 * `rbacWildcard` permits a `*` in `rbac.rules` (annotated on the Role, not the pod). Everything
 * else stays restricted (no privilege escalation, capabilities dropped, seccomp RuntimeDefault,
 * read-only root). Such a pod needs a namespace that enforces Pod Security `privileged`
 * (hostPath, hostNetwork, hostPort) or `baseline` (runAsRoot only).
 */
export interface SecurityExceptionSpec {
  /** Short name, e.g. `read-node-logs`. */
  name: DnsLabel;
  /** Why it is needed; written into the `slipway.dev/security-exception.<name>` annotation. @minLength 10 */
  reason: string;
  /** What is allowed. `clusterScoped`, `clusterAdmin` and `privileged` apply only to `objects`. @minItems 1 */
  allow: SecurityAllowance[];
  /**
   * The `extraObjects` or patched objects (`Kind/name`, e.g. `ClusterRoleBinding/metrics-reader`)
   * this exception is for: it then applies to those objects only, not to the service's own pod.
   * There `clusterScoped` permits a cluster-scoped kind, `clusterAdmin` a binding to the
   * `cluster-admin` ClusterRole, `privileged` any other departure from Pod Security "restricted"
   * (privileged containers, privilege escalation, added capabilities, host PID/IPC, ...), and the
   * other allowances what they name. Each object carries the exception annotation.
   * @default [] (the exception is about the service's pod)
   */
  objects?: ObjectRef[];
}

/** What a security exception allows. */
export type SecurityAllowance = 'hostPath' | 'hostNetwork' | 'hostPort' | 'runAsRoot' | 'appArmorOverride' | 'seccompOverride' | 'rbacWildcard' | 'clusterScoped' | 'clusterAdmin' | 'privileged';

/** An object as `Kind/name`, e.g. `Deployment/web`. @pattern ^[A-Z][A-Za-z0-9]{0,62}/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ @patternMessage Kind/name, e.g. Deployment/web */
export type ObjectRef = string;

/**
 * API permissions granted to the service's ServiceAccount. Declaring `rbac` turns the token
 * automount on (`serviceAccount.automountToken` defaults to true, and false is an error): the
 * permissions are useless without the token. A `*` in apiGroups, resources or verbs needs a
 * `security.exceptions` entry allowing `rbacWildcard`.
 */
export interface RbacSpec {
  /** The permissions, as Kubernetes PolicyRules. @minItems 1 */
  rules: RbacRuleSpec[];
  /** Grant them in every namespace (ClusterRole + ClusterRoleBinding, which also reaches cluster-scoped resources such as nodes) instead of the service's own (Role + RoleBinding). Needs `namespace`. @default false */
  clusterWide?: boolean;
  /** The namespace the service runs in; a ClusterRoleBinding names the ServiceAccount with it (and the ClusterRole is named `<namespace>-<fullname>`, unique in the cluster). Only with `clusterWide`. @default none */
  namespace?: DnsLabel;
}

/** One rule: these verbs on these resources of these API groups. */
export interface RbacRuleSpec {
  /** API groups; `""` is the core group (pods, configmaps, secrets, ...). @minItems 1 */
  apiGroups: RbacApiGroup[];
  /** Resources in lower-case plural, optionally with a subresource (`pods/log`). @minItems 1 */
  resources: RbacResource[];
  /** Verbs: get, list, watch, create, update, patch, delete, deletecollection, ... @minItems 1 */
  verbs: RbacVerb[];
  /** Restrict the rule to objects of these names (not meaningful with list, watch, create or deletecollection). @default all objects */
  resourceNames?: RbacResourceName[];
}

/** An API group (`""` for the core group), or `*`. @pattern ^(\*|[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?$ @patternMessage an API group such as "", apps or networking.k8s.io (or * with an rbacWildcard exception) */
export type RbacApiGroup = string;
/** A resource, optionally `/subresource`, or a wildcard. @pattern ^(\*|[a-z][a-z0-9.-]*)(/(\*|[a-z][a-z0-9.-]*))?$ @patternMessage a resource in lower-case plural such as configmaps or pods/log (or * with an rbacWildcard exception) */
export type RbacResource = string;
/** An object name. @pattern ^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$ @maxLength 253 @patternMessage an object name: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit */
export type RbacResourceName = string;
/** A verb, or `*`. @pattern ^(\*|[a-z]+)$ @patternMessage a lower-case verb such as get, list or watch (or * with an rbacWildcard exception) */
export type RbacVerb = string;

/** ServiceAccount. */
export interface ServiceAccountSpec {
  /** Create a dedicated ServiceAccount. @default true */
  create?: boolean;
  /** Name to use. @default the fullname (create) or "default" */
  name?: string;
  /** Annotations, e.g. `eks.amazonaws.com/role-arn` for IRSA. @default {} */
  annotations?: Record<string, string>;
  /** Mount the API token into pods. @default false (true when `rbac` is declared) */
  automountToken?: boolean;
}

/** A toleration. */
export interface TolerationSpec {
  key?: string;
  /** @default "Equal" */
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: Integer;
}

/** Metrics scraping. */
export interface MetricsSpec {
  /** Name of the port serving metrics; must be declared. */
  port: string;
  /** Path. @default "/metrics" @pattern ^/ @patternMessage a path starting with "/" */
  path?: string;
  /** `serviceMonitor` (Prometheus Operator CRD) or `annotations` (prometheus.io/* on the pod). @default "serviceMonitor" */
  mode?: 'serviceMonitor' | 'annotations';
  /** Scrape interval. @default "30s" @pattern ^[0-9]+(ms|s|m|h)$ @patternMessage a duration such as 30s, 500ms, 1m or 1h */
  interval?: string;
  /** Labels on the ServiceMonitor, e.g. the `release` label your Prometheus selects ServiceMonitors by. @default {} */
  serviceMonitorLabels?: Record<string, string>;
}

/**
 * Migration Job run before each rollout (Helm pre-install/pre-upgrade hook, Argo CD PreSync hook),
 * with the app's image, env, secrets and security. The command must be idempotent: hooks re-run on
 * every upgrade/sync, and a failed attempt is retried (`backoffLimit`).
 */
export interface MigrationSpec {
  /** Command of the job. @minItems 1 */
  command: string[];
  /** Args of the job. @default [] */
  args?: string[];
  /** Seconds before the job is failed. @default 600 @minimum 1 */
  activeDeadlineSeconds?: Integer;
  /** Retries. @default 2 @minimum 0 */
  backoffLimit?: Integer;
  /** Seconds a finished job is kept. @default 3600 @minimum 0 */
  ttlSecondsAfterFinished?: Integer;
}

/** A sha256 content digest. @pattern ^sha256:[a-f0-9]{64}$ @patternMessage a sha256 digest: "sha256:" and 64 lower-case hex digits */
export type ImageDigest = string;

/** A Linux platform `linux/<arch>[/<variant>]` as Docker names it. @pattern ^linux/(amd64|amd64/v[2-4]|arm64|arm64/v8|arm/v6|arm/v7|386|ppc64le|s390x|riscv64)$ @patternMessage one of linux/amd64, linux/amd64/v2, linux/amd64/v3, linux/amd64/v4, linux/arm64, linux/arm64/v8, linux/arm/v6, linux/arm/v7, linux/386, linux/ppc64le, linux/s390x, linux/riscv64 */
export type Platform = string;

/** A Dockerfile stage name (also a `docker build --target` and a bake target). @pattern ^[a-z][a-z0-9_-]*$ @maxLength 40 @patternMessage a stage name: a lower-case letter, then lower-case letters, digits, "_" and "-" */
export type StageName = string;

/** One line of text: no line breaks (LF, CR, U+0085, U+2028, U+2029), tabs, NUL or other control characters, so it cannot start a new Dockerfile instruction, YAML line or comment. @pattern ^[^\x00-\x1f\x7f\u0085\u2028\u2029]*$ @patternMessage one line of text: remove the line breaks, tabs and other control characters */
export type OneLine = string;

/** A version: `app.kubernetes.io/version`, appVersion, the default image tag, an image label. @pattern ^[A-Za-z0-9_][A-Za-z0-9._+-]*$ @maxLength 128 @patternMessage a version such as 1.2.3 or 1.2.3-rc.1: letters, digits, ".", "_", "+" and "-", no spaces */
export type Version = string;

/** A base image reference as a Dockerfile `FROM` names it. @pattern ^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$ @patternMessage an image reference such as python:3.12-slim or gcr.io/distroless/static-debian12:nonroot: lower-case name parts separated by "/", then an optional :tag and @sha256 digest; no spaces */
export type ImageRef = string;

/** A path relative to the build context, as `COPY` and shell commands take it. @pattern ^[A-Za-z0-9_.@+=,:~][A-Za-z0-9_.@+=,:~/-]*$ @patternMessage a relative path of letters, digits and . _ - / @ + = , : ~, not starting with "-" or "/" (no spaces, quotes, "$" or line breaks) */
export type ContextPath = string;

/** A file name (no directory). @pattern ^[A-Za-z0-9_][A-Za-z0-9_.@+=,:~-]*$ @maxLength 255 @patternMessage a file name of letters, digits and . _ - @ + = , : ~, starting with a letter, digit or "_" (no "/", spaces or quotes) */
export type FileName = string;

/** A Go build tag. @pattern ^[A-Za-z0-9_.]+$ @patternMessage a Go build tag: letters, digits, "_" and "." */
export type GoBuildTag = string;

/** An image label key (reverse-DNS, e.g. `com.example.team`). @pattern ^[A-Za-z0-9][A-Za-z0-9._/-]*$ @maxLength 253 @patternMessage a label key such as com.example.team: letters, digits, ".", "_", "/" and "-", starting with a letter or digit */
export type ImageLabelKey = string;

/**
 * How the image is built: a multi-stage Dockerfile from a runtime preset, a docker-bake.hcl for a
 * multi-arch build, a .dockerignore and, on request, a compose file and a CI workflow. The image
 * runs as the pod's numeric `security.runAsUser`/`runAsGroup` and creates `security.writablePaths`.
 */
export interface BuildSpec {
  /**
   * Runtime preset: `go` (static, cross-compiled binary on distroless), `python` (slim base, virtualenv
   * built in a builder stage), `node` (npm ci, production dependencies only, tini as PID 1) or
   * `static` (a prebuilt binary per architecture copied onto scratch or a given base).
   */
  preset: 'go' | 'python' | 'node' | 'static';
  /** Options of the `go` preset (only with `preset: go`). @default {} */
  go?: GoBuildSpec;
  /** Options of the `python` preset (only with `preset: python`). @default {} */
  python?: PythonBuildSpec;
  /** Options of the `node` preset (only with `preset: node`). @default {} */
  node?: NodeBuildSpec;
  /** Options of the `static` preset (only with `preset: static`). @default {} */
  static?: StaticBuildSpec;
  /**
   * Names of the Dockerfile stages (each is also a bake target). `dev` and `ci` stages are written
   * only when named here; the `static` preset has only the final stage.
   * @default base "base", builder "builder", final "production"; no dev or ci stage
   */
  targets?: BuildTargetsSpec;
  /** Platforms the final image is built for (docker-bake.hcl). @default ["linux/amd64", "linux/arm64"] @minItems 1 */
  platforms?: Platform[];
  /** Build context, relative to the repository root (where `docker buildx bake` runs). @default "." */
  context?: ContextPath;
  /** URL of the source repository: label `org.opencontainers.image.source` (GHCR links the package to it). @default omitted */
  source?: OneLine;
  /** SPDX license expression: label `org.opencontainers.image.licenses`. @default omitted */
  licenses?: OneLine;
  /** Extra image labels (they may not override the `org.opencontainers.image.*` ones Slipway sets). @default {} */
  labels?: Record<ImageLabelKey, OneLine>;
  /**
   * Digest pins of base images: image reference as the Dockerfile names it (e.g. `python:3.12-slim`)
   * -> `sha256:...`. A pinned reference is written `<image>@sha256:...`. Every key must be a base
   * image of this build. @default {} (tags only)
   */
  digests?: Record<string, ImageDigest>;
  /** Command of the dev stage. @default go: ["go", "run", <package>]; python: the final command; node: ["npm", "run", "dev"] */
  devCommand?: string[];
  /** Command of the ci stage (runs the tests). @default go: ["go", "test", "./..."]; python: ["python", "-m", "pytest"]; node: ["npm", "test"] */
  testCommand?: string[];
  /** Write `compose.yaml` for local development (same user, read-only root, tmpfs writable paths, config env). @default false */
  compose?: boolean;
  /** Which probe's check becomes the compose healthcheck (when the image can run it). @default "startup" */
  composeHealthcheck?: 'startup' | 'liveness' | 'readiness';
  /** Write a CI workflow that builds and pushes the multi-arch image (GitHub Actions: GHCR, tags latest/sha/version). @default none */
  ciWorkflow?: 'github-actions';
}

/** Stage names of the Dockerfile. */
export interface BuildTargetsSpec {
  /** Common foundation: base image, environment, dependency manifests (go: modules downloaded). @default "base" */
  base?: StageName;
  /** Development stage: toolchain, dev dependencies and the source, running `devCommand`. @default omitted (no dev stage) */
  dev?: StageName;
  /** CI stage: test dependencies and the source, running `testCommand`. @default omitted (no ci stage) */
  ci?: StageName;
  /** Builder stage: compiles the binary, builds the virtualenv or the JavaScript. @default "builder" */
  builder?: StageName;
  /** The final, minimal runtime stage (the default bake target). @default "production" */
  final?: StageName;
}

/** Options of the `go` preset: a static (CGO_ENABLED=0), stripped, cross-compiled binary on distroless. */
export interface GoBuildSpec {
  /** Go version of the builder image. @default "1.24" @pattern ^[0-9]+\.[0-9]+(\.[0-9]+)?$ @patternMessage a Go version such as 1.24 or 1.24.2 */
  version?: string;
  /** Main package to build, relative to the context. @default "." */
  package?: ContextPath;
  /** Name of the binary (installed as /usr/local/bin/<binary>). @default the service name */
  binary?: FileName;
  /** Build tags (`-tags`), e.g. ["netgo"]. @default [] */
  tags?: GoBuildTag[];
  /** Extra linker flags after `-s -w`, e.g. `-X main.version=1.2.3`. @default "" */
  ldflags?: OneLine;
  /** Builder image (runs on the build platform and cross-compiles). @default "golang:<version>-bookworm" */
  image?: ImageRef;
  /** Final base image: static, no shell. @default "gcr.io/distroless/static-debian12:nonroot" */
  runtimeImage?: ImageRef;
}

/** Options of the `python` preset: slim base, a virtualenv built in the builder stage, no build tools in the final image. */
export interface PythonBuildSpec {
  /** Python version of the base image. @default "3.12" @pattern ^[0-9]+\.[0-9]+$ @patternMessage a Python version such as 3.12 */
  version?: string;
  /** Module run as `python -m <module>`. @default the service name with `-` replaced by `_` */
  module?: OneLine;
  /**
   * `requirements`: install the requirements file into the virtualenv and copy the source to /app.
   * `project`: `pip install .` (pyproject.toml) into the virtualenv; only the virtualenv is shipped.
   * @default "requirements"
   */
  install?: 'requirements' | 'project';
  /** Requirements file (pinned dependencies), relative to the context. @default "requirements.txt" */
  requirements?: ContextPath;
  /** Extra requirements of the dev and ci stages (test and dev tools). @default "requirements-dev.txt" */
  devRequirements?: ContextPath;
  /** Debian packages the builder needs to compile wheels, pinned as `name=version` (hadolint DL3008). @default [] */
  buildPackages?: string[];
  /** Base image of every stage. @default "python:<version>-slim" */
  image?: ImageRef;
  /** Run the entrypoint under tini (Debian package) so PID 1 forwards signals and reaps zombies. @default false */
  tini?: boolean;
}

/** Options of the `node` preset: npm ci, dev dependencies pruned from the final stage, tini as PID 1. */
export interface NodeBuildSpec {
  /** Node.js major version. @default "20" @pattern ^[0-9]+(\.[0-9]+){0,2}$ @patternMessage a Node.js version such as 20, 20.11 or 20.11.1 */
  version?: string;
  /** Script run by `node`, relative to /app. @default "dist/index.js" */
  main?: OneLine;
  /** npm script that builds the app in the builder stage; "" for none. @default "build" */
  buildScript?: OneLine;
  /** Paths (relative to the context) the final stage takes from the builder besides node_modules and package.json. @default ["dist"] */
  copy?: ContextPath[];
  /** Base image of every stage. @default "node:<version>-bookworm-slim" */
  image?: ImageRef;
  /** Run node under tini, since node as PID 1 ignores SIGTERM unless the app handles it. @default true */
  tini?: boolean;
}

/** Options of the `static` preset: a prebuilt binary per architecture onto scratch (or a given base). */
export interface StaticBuildSpec {
  /** Path of the binary in the context; `${TARGETOS}`, `${TARGETARCH}` and `${TARGETVARIANT}` are expanded per platform. @default "dist/<name>-${TARGETOS}-${TARGETARCH}" */
  binary?: string;
  /** Where the binary is installed in the image (the ENTRYPOINT). @default "/usr/local/bin/<name>" */
  path?: string;
  /** Base image. @default "scratch" */
  image?: ImageRef;
}

/** Argo CD integration. */
export interface GitOpsSpec {
  /** Annotate objects with argocd.argoproj.io/sync-wave where order matters. @default true */
  syncWaves?: boolean;
  /** Generate Argo CD Applications (`dist/argocd/<env>/<fullname>.yaml`). @default none: no Applications */
  argocd?: ArgoCdSpec;
}

/**
 * One environment's overrides of the base spec. Each field replaces the base field it names (lists
 * and maps whole, except `env`, which adds to `config.env`); anything not named here is the base's.
 */
export interface EnvironmentSpec {
  /** Fixed replica count in this environment (switches the base's autoscaling off). @default the base's */
  replicas?: Integer;
  /** Autoscaling in this environment, replacing the base's whole (switches a base `replicas` off). @default the base's */
  autoscaling?: AutoscalingSpec;
  /** Requests and limits, replacing the base `resources` whole (defaults apply to what is left out, as in the base). @default the base's */
  resources?: ResourcesSpec | 'none';
  /** Ingress hosts and TLS of this environment; the base must declare `ingress`. @default the base's */
  ingress?: EnvironmentIngressSpec;
  /** HTTPRoute host names of this environment; the base must declare `httpRoute`. @default the base's */
  httpRoute?: EnvironmentHttpRouteSpec;
  /** The secret store every `secrets[].external` reads from in this environment; the base must have one. @default the base's */
  secretStore?: EnvironmentSecretStoreSpec;
  /** Image tag and digest of this environment. @default the base's */
  image?: EnvironmentImageSpec;
  /** Extra environment variables, added to (or replacing single keys of) the base `config.env`, which must not be empty. @default {} */
  env?: Record<EnvName, string>;
  /** Namespace the service runs in, in this environment (the Argo CD destination namespace). @default the environment's name */
  namespace?: DnsLabel;
  /** Clusters this environment deploys to (one Argo CD Application each). @default [] : the cluster Argo CD runs in */
  clusters?: EnvironmentClusterSpec[];
}

/** Ingress overrides of an environment. */
export interface EnvironmentIngressSpec {
  /** Hosts and their paths, replacing the base `ingress.hosts`. @minItems 1 @default the base's */
  hosts?: IngressHostSpec[];
  /** TLS, replacing the base `ingress.tls`. @default the base's */
  tls?: IngressTlsSpec[];
}

/** HTTPRoute overrides of an environment. */
export interface EnvironmentHttpRouteSpec {
  /** Host names, replacing the base `httpRoute.hostnames`. */
  hostnames: string[];
}

/** The secret store of an environment. */
export interface EnvironmentSecretStoreSpec {
  /** Name of the SecretStore / ClusterSecretStore. */
  name: string;
  /** Kind of the store. @default the base's */
  kind?: 'SecretStore' | 'ClusterSecretStore';
}

/** Image overrides of an environment. */
export interface EnvironmentImageSpec {
  /** Image tag. @default the base's */
  tag?: string;
  /** Image digest (sha256:...). @default the base's */
  digest?: string;
}

/** A cluster an environment deploys to (an Argo CD destination). */
export interface EnvironmentClusterSpec {
  /** Short name: part of the Application's name, and the Argo CD cluster name unless `server` is given. */
  name: DnsLabel;
  /** API server URL of the cluster as registered in Argo CD (destination.server). @default none: destination.name = `name` */
  server?: string;
}

/** Argo CD Applications generated for this service (one per environment and cluster), or one ApplicationSet. */
export interface ArgoCdSpec {
  /** Git repository Argo CD reads the output from. */
  repoURL: string;
  /** Git revision (branch, tag or commit). @default "HEAD" */
  targetRevision?: string;
  /** Path of the output directory (dist/) inside the repository. @default "dist" */
  path?: string;
  /** Argo CD project. @default "default" */
  project?: string;
  /** Namespace the Applications are created in (Argo CD's own). @default "argocd" */
  namespace?: DnsLabel;
  /** What Argo CD syncs: the Helm chart with the environment's values file, or the plain manifests. @default "chart" */
  source?: 'chart' | 'manifests';
  /** Automated sync (opt-in): prune deleted objects, revert drift. @default none: manual sync */
  automated?: ArgoCdAutomatedSpec;
  /**
   * Write one ApplicationSet per service (`argocd/<fullname>.yaml`, a list generator with one element
   * per environment and cluster) instead of one Application file per environment. The Applications
   * Argo CD's ApplicationSet controller generates from it are the ones written without this option.
   * @default false
   */
  applicationSet?: boolean;
}

/** Automated sync options. */
export interface ArgoCdAutomatedSpec {
  /** Delete objects that are no longer in the output. @default false */
  prune?: boolean;
  /** Revert changes made in the cluster. @default false */
  selfHeal?: boolean;
}

/** An extra pod volume: exactly one of persistentVolumeClaim, emptyDir, configMap, secret, projected. */
export interface VolumeSpec {
  /** Volume name (a DNS-1123 label), referenced by `mounts[].volume`. */
  name: DnsLabel;
  /** A PersistentVolumeClaim: an existing one (`claimName`) or one Slipway creates, `<fullname>-<name>` (`size`). */
  persistentVolumeClaim?: PersistentVolumeClaimVolumeSpec;
  /** A scratch directory that lives as long as the pod. */
  emptyDir?: EmptyDirVolumeSpec;
  /** An existing ConfigMap's keys as files. */
  configMap?: ConfigMapVolumeSpec;
  /** An existing Secret's keys as files. */
  secret?: SecretVolumeSpec;
  /** Several sources in one directory. */
  projected?: ProjectedVolumeSpec;
}

/** A PersistentVolumeClaim volume: exactly one of claimName (existing) and size (created). */
export interface PersistentVolumeClaimVolumeSpec {
  /** Name of an existing claim in the namespace. @default none (then `size` creates one) */
  claimName?: string;
  /** Size of the claim Slipway creates. */
  size?: StorageSize;
  /** StorageClass of the created claim. @default omitted (the cluster's default class) */
  storageClass?: string;
  /** Access modes of the created claim. @default ["ReadWriteOnce"] @minItems 1 */
  accessModes?: ('ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod')[];
}

/** An emptyDir volume. */
export interface EmptyDirVolumeSpec {
  /** Largest size; the pod is evicted beyond it (with medium Memory it counts against the memory limit). @default none */
  sizeLimit?: StorageSize;
  /** `Memory`: a tmpfs. @default "" (the node's disk) */
  medium?: '' | 'Memory';
}

/** A ConfigMap volume. */
export interface ConfigMapVolumeSpec {
  /** Name of the ConfigMap. */
  name: string;
  /** Start the pod even when the ConfigMap is missing. @default false */
  optional?: boolean;
}

/** A Secret volume. */
export interface SecretVolumeSpec {
  /** Name of the Secret. */
  secretName: string;
  /** Start the pod even when the Secret is missing. @default false */
  optional?: boolean;
}

/** A projected volume. */
export interface ProjectedVolumeSpec {
  /** The sources, each exactly one of configMap, secret, serviceAccountToken. @minItems 1 */
  sources: ProjectedSourceSpec[];
}

/** One source of a projected volume. */
export interface ProjectedSourceSpec {
  /** An existing ConfigMap. */
  configMap?: { name: string; optional?: boolean };
  /** An existing Secret. */
  secret?: { name: string; optional?: boolean };
  /** A bound ServiceAccount token for an audience (e.g. a vault or an external service), not the API token. */
  serviceAccountToken?: ServiceAccountTokenProjectionSpec;
}

/** A bound ServiceAccount token in a projected volume. */
export interface ServiceAccountTokenProjectionSpec {
  /** File path inside the volume, relative. */
  path: string;
  /** Audience the token is for. @default the API server's */
  audience?: string;
  /** Lifetime; the kubelet refreshes the file before it expires. @default 3600 @minimum 600 */
  expirationSeconds?: Integer;
}

/** A mount of a `volumes` entry into the main container. */
export interface MountSpec {
  /** Name of a volume declared under `volumes`. */
  volume: DnsLabel;
  /** Where the container sees it. */
  mountPath: AbsolutePath;
  /** Mount read-only. @default false (true for configMap, secret and projected volumes) */
  readOnly?: boolean;
  /** Mount only this path inside the volume. @default the whole volume @pattern ^[^/\x00-\x1f][^\x00-\x1f]*$ @patternMessage a relative path inside the volume, on one line */
  subPath?: string;
}

/** A storage size (a Kubernetes quantity in bytes). @pattern ^[0-9]+(\.[0-9]+)?(k|Ki|M|Mi|G|Gi|T|Ti)?$ @patternMessage a storage size such as 512Mi, 10Gi or 1Ti */
export type StorageSize = string;
/**
 * The Helm chart's version and Chart.yaml metadata. The chart version is independent of the app
 * `version`: bump it whenever the chart's content changes (chart-testing's version-increment check
 * fails otherwise); `slipway synth` warns when the content changed and the version did not.
 */
export interface ChartSpec {
  /** Chart version (SemVer 2, no leading "v"): patch for any content change, minor for new parameters, major for removed or renamed ones. @default "0.1.0" */
  version?: ChartVersion;
  /** Home page of the project (Chart.yaml `home`). @default omitted */
  home?: HttpUrl;
  /** Source code URLs (Chart.yaml `sources`). @default [] */
  sources?: HttpUrl[];
  /** Maintainers (Chart.yaml `maintainers`). @default [] */
  maintainers?: ChartMaintainerSpec[];
  /** Icon URL, an SVG or PNG (Chart.yaml `icon`; Artifact Hub shows it). @default omitted */
  icon?: HttpUrl;
  /** Search keywords (Chart.yaml `keywords`). @default [] */
  keywords?: ChartKeyword[];
}

/** A chart maintainer. */
export interface ChartMaintainerSpec {
  /** Name. */
  name: OneLine;
  /** E-mail address. @default omitted @pattern ^[^\s@"]+@[^\s@"]+$ @patternMessage an e-mail address such as ops@example.com */
  email?: string;
  /** URL. @default omitted */
  url?: HttpUrl;
}

/** A chart version: SemVer 2 without a leading "v". @pattern ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$ @patternMessage a SemVer 2 version such as 1.4.0 or 1.4.0-rc.1 (no leading "v") */
export type ChartVersion = string;

/** An http(s) URL on one line. @pattern ^https?://[^\s"'<>\\]+$ @maxLength 2048 @patternMessage an http:// or https:// URL without spaces or quotes */
export type HttpUrl = string;

/** A chart keyword. @pattern ^[a-z0-9]([a-z0-9 .+-]*[a-z0-9+])?$ @maxLength 64 @patternMessage a keyword of lower-case letters, digits, spaces, ".", "+" and "-" */
export type ChartKeyword = string;

/** An init container of the pod. */
export interface InitContainerSpec {
  /** Container name, unique in the pod (not the service name, not a sidecar's). */
  name: DnsLabel;
  /** Full image reference, e.g. `busybox:1.36` or `registry.example.com/tools/wait@sha256:...`. @default the service's image */
  image?: ImageReference;
  /** Overrides the image ENTRYPOINT. @default the image's */
  command?: string[];
  /** Overrides the image CMD. @default the image's */
  args?: string[];
  /** Environment variables (plain values; secrets belong in `secrets`). @default {} */
  env?: Record<EnvName, string>;
  /** Requests and limits, merged with the defaults as the main container's `resources`. @default the main container's defaults (not its overrides) */
  resources?: ResourcesSpec | 'none';
  /** Mounts of `volumes` (by name), as the main container's `mounts`. @default [] (the writable paths only) */
  mounts?: MountSpec[];
}

/**
 * A raw Kubernetes object: `apiVersion`, `kind`, `metadata` (with `name`) and the kind's fields,
 * checked against the Kubernetes 1.28 API schema (or a CRD) where it is used.
 */
export interface ExtraObjectSpec {
  /** e.g. `v1`, `policy/v1`, `monitoring.coreos.com/v1`. @minLength 1 */
  apiVersion: string;
  /** e.g. `ConfigMap`, `PodMonitor`. @minLength 1 */
  kind: string;
  /** The object's metadata: `name` is required, `namespace` is refused (the release's namespace applies). */
  metadata: ExtraObjectMetadataSpec;
  [field: string]: unknown;
}

/** Metadata of an extra object (further ObjectMeta fields are checked by the Kubernetes schema). */
export interface ExtraObjectMetadataSpec {
  /** The object's name, used as written (not prefixed with the release name). @minLength 1 */
  name: string;
  [field: string]: unknown;
}

/** JSON patch operations on one generated object. */
export interface PatchSpec {
  /** Kind of the generated object, e.g. `Deployment`, `Service`, `NetworkPolicy`. @minLength 1 */
  kind: string;
  /** Name of the generated object in the manifests, e.g. `web` or `web-headless`. Leave it out to select the only object of that kind (then the patch follows a renamed release too). @default the only object of `kind` @minLength 1 */
  name?: string;
  /** RFC 6902 operations, applied in order. @minItems 1 */
  ops: PatchOperationSpec[];
}

/** One RFC 6902 operation. */
export interface PatchOperationSpec {
  /** `add` (a map key, or a list item before an index or at `-`), `replace` (an existing field) or `remove`. */
  op: 'add' | 'replace' | 'remove';
  /** JSON pointer into the object, e.g. `/spec/template/spec/containers/0/resources/limits/cpu` (`~1` for `/` in a key). @pattern ^(/([^~]|~[01])*)+$ @patternMessage a JSON pointer such as /spec/replicas (~1 for a "/" and ~0 for a "~" inside a key) */
  path: string;
  /** The value for `add` and `replace` (any JSON: a scalar, a map or a list). @default none (needed by add and replace; remove takes none) */
  value?: unknown;
}

/** A full image reference: `[registry[:port]/]repository[:tag][@sha256:digest]`. @pattern ^[a-z0-9]([a-z0-9._-]*[a-z0-9])?(:[0-9]+)?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$ @patternMessage an image reference such as busybox:1.36 or registry.example.com/tools/wait@sha256:<64 hex digits> */
export type ImageReference = string;
