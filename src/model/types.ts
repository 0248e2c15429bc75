/**
 * The model: a plain, immutable, fully-resolved description of one service. Every default from
 * the spec is applied here, once, so renderers (manifests, chart, image) never re-derive them.
 */
import type {
  BuildSpec, IngressSpec, HttpRouteSpec, NetworkPeerSpec, TolerationSpec, MigrationSpec,
  ExternalSecretSourceSpec, SecurityExceptionSpec, SidecarSpec, HostPathSpec, ChartSpec,
} from '../spec/types';

export type WorkloadKind = 'Deployment' | 'DaemonSet' | 'StatefulSet' | 'Sidecar' | 'Job' | 'CronJob';

/** A resolved service. */
export interface ServiceModel {
  readonly name: string;
  readonly instance: string;
  /** helm create's fullname for (instance, name): instance if it contains name, else `instance-name`. */
  readonly fullname: string;
  readonly version: string;
  readonly description: string;
  readonly component: string;
  readonly partOf?: string;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly image: ImageModel;
  readonly workload: WorkloadModel;
  readonly container: ContainerModel;
  readonly pod: PodModel;
  readonly config: ConfigModel;
  readonly secrets: readonly SecretModel[];
  readonly service: ServiceExposureModel;
  readonly ingress: ToggleOf<IngressSpec>;
  readonly httpRoute: ToggleOf<HttpRouteSpec>;
  readonly networkPolicy: NetworkPolicyModel;
  readonly scaling: ScalingModel;
  readonly serviceAccount: ServiceAccountModel;
  /** API permissions of the ServiceAccount (model/rbac.ts). @default none */
  readonly rbac?: RbacModel;
  readonly metrics?: MetricsModel;
  readonly migration?: Required<MigrationSpec>;
  readonly build?: BuildSpec;
  readonly syncWaves: boolean;
  /** Init containers (`initContainers`), resolved (model/init-containers.ts). @default [] */
  readonly initContainers: readonly InitContainerModel[];
  /** Raw objects added to the output (`extraObjects`), checked (model/extra-objects.ts). @default [] */
  readonly extraObjects: readonly Readonly<Record<string, unknown>>[];
  /** JSON patches on generated objects (`patches`). @default [] */
  readonly patches: readonly PatchModel[];
  /** Security exceptions naming `objects` (extra or patched objects), not the pod. @default [] */
  readonly objectExceptions: readonly SecurityExceptionSpec[];
  /** Extra volumes (`volumes`) and their mounts (`mounts`), resolved. @default none */
  readonly storage?: StorageModel;
  /** The chart's version and Chart.yaml metadata, as the spec gives them (defaults applied in src/chart/chart-meta.ts). @default {} */
  readonly chart?: ChartSpec;
  /**
   * Sidecar services attached to this service's pods (`workload.sidecar.host` naming this
   * service), set by the cross-service step `linkServices`: each in the host's release (instance
   * and fullname `<host fullname>-<sidecar name>`). @default none
   */
  readonly sidecars?: readonly ServiceModel[];
  /**
   * For a Sidecar attached by `linkServices`: the fullname of its host. Its container and its own
   * ConfigMaps/Secrets/ExternalSecrets are then rendered with the host, which is self-contained;
   * the sidecar renders no objects of its own. @default none
   */
  readonly sidecarOf?: string;
}

/** An optional feature whose spec is always present (so a chart can offer it) with its on/off default. */
export interface ToggleOf<T> { readonly enabled: boolean; readonly spec: T }

export interface ImageModel {
  readonly registry: string;
  readonly repository: string;
  readonly tag: string;
  readonly digest: string;
  readonly pullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  readonly pullSecrets: readonly string[];
}

export interface WorkloadModel {
  readonly kind: WorkloadKind;
  readonly maxUnavailable?: number | string;
  readonly maxSurge?: number | string;
  readonly sidecar?: Required<Pick<SidecarSpec, 'mode' | 'sharedVolumes'>> & { readonly host?: string };
  /** For Job and CronJob: one run (model/jobs.ts). */
  readonly job?: JobModel;
  /** For CronJob: the schedule (model/jobs.ts). */
  readonly cronJob?: CronJobModel;
  /** For a StatefulSet: its settings, resolved. @default none */
  readonly statefulSet?: StatefulSetModel;
}

/** One run of a Job or CronJob, defaults applied; an absent optional field is not rendered. */
export interface JobModel {
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds?: number;
  readonly ttlSecondsAfterFinished?: number;
  readonly restartPolicy: 'Never' | 'OnFailure';
}

/** A CronJob's schedule, defaults applied. */
export interface CronJobModel {
  readonly schedule: string;
  readonly timeZone: string;
  readonly concurrencyPolicy: 'Allow' | 'Forbid' | 'Replace';
  readonly startingDeadlineSeconds: number;
  readonly successfulJobsHistoryLimit: number;
  readonly failedJobsHistoryLimit: number;
  readonly suspend: boolean;
}

/** A resolved StatefulSet. */
export interface StatefulSetModel {
  readonly podManagementPolicy: 'OrderedReady' | 'Parallel';
  readonly partition: number;
  readonly volumeClaims: readonly { readonly name: string; readonly size: string; readonly storageClass?: string; readonly accessModes: readonly string[]; readonly mountPath: string }[];
  readonly retention: { readonly whenDeleted: 'Retain' | 'Delete'; readonly whenScaled: 'Retain' | 'Delete' };
  readonly publishNotReadyAddresses: boolean;
}

export interface PortModel {
  readonly name: string;
  readonly containerPort: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly servicePort: number;
  readonly expose: boolean;
  readonly appProtocol?: string;
  readonly hostPort?: number;
}

/** A health check resolved to a declared port. */
export type CheckModel =
  | { readonly type: 'http'; readonly path: string; readonly port: string | number; readonly scheme: 'HTTP' | 'HTTPS'; readonly headers: readonly { name: string; value: string }[] }
  | { readonly type: 'grpc'; readonly port: number; readonly service: string }
  | { readonly type: 'tcp'; readonly port: string | number }
  | { readonly type: 'exec'; readonly command: readonly string[] };

export interface ProbeModel {
  readonly enabled: boolean;
  readonly check: CheckModel;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
  readonly successThreshold: 1;
}

/** The probes; one is absent when the spec gives it no check (neither its own nor a shared one). */
export interface HealthModel {
  readonly startup?: ProbeModel;
  readonly liveness?: ProbeModel;
  readonly readiness?: ProbeModel;
}

export interface ContainerModel {
  readonly name: string;
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly workingDir?: string;
  readonly ports: readonly PortModel[];
  readonly health?: HealthModel;
  /** undefined = no resources block. */
  readonly resources?: { readonly requests: Record<string, string>; readonly limits: Record<string, string> };
  readonly preStopSleepSeconds?: number;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly readOnlyRootFilesystem: boolean;
  readonly writablePaths: readonly string[];
  /** Capabilities added after `drop: [ALL]` (only NET_BIND_SERVICE passes the model's checks). @default [] */
  readonly capabilitiesAdd?: readonly string[];
}

export interface PodModel {
  readonly fsGroup: number;
  readonly terminationGracePeriodSeconds: number;
  readonly annotations: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly TolerationSpec[];
  readonly priorityClassName?: string;
  readonly spread: { readonly enabled: boolean; readonly topologyKeys: readonly string[]; readonly maxSkew: number; readonly whenUnsatisfiable: 'ScheduleAnyway' | 'DoNotSchedule' };
  readonly exceptions: readonly SecurityExceptionSpec[];
  readonly hostNetwork: boolean;
  readonly hostPaths: readonly Required<HostPathSpec>[];
}

export interface ConfigModel {
  readonly env: Readonly<Record<string, string>>;
  readonly files: Readonly<Record<string, string>>;
  readonly mountPath: string;
}

export interface SecretModel {
  readonly name: string;
  readonly source:
    | { readonly type: 'existing'; readonly secretName: string }
    | { readonly type: 'external'; readonly spec: Required<Omit<ExternalSecretSourceSpec, 'data'>> & Pick<ExternalSecretSourceSpec, 'data'> }
    | { readonly type: 'inline'; readonly values: Readonly<Record<string, string>> };
  readonly env: Readonly<Record<string, string>>;
  readonly envFromAll: boolean;
  readonly mountPath?: string;
}

export interface ServiceExposureModel {
  readonly enabled: boolean;
  readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  readonly annotations: Readonly<Record<string, string>>;
}

export interface NetworkPolicyModel {
  readonly enabled: boolean;
  readonly ingressFrom: readonly NetworkPeerSpec[];
  readonly egressTo: readonly NetworkPeerSpec[];
  readonly allowDns: boolean;
  /** `networkPolicy.allowFromRoutes`: whether the routes' controllers are let in. */
  readonly allowFromRoutes: boolean;
  /** Peers implied by the declared Ingress / HTTPRoute (rendered before `ingressFrom`). */
  readonly fromRoutes: readonly NetworkPeerSpec[];
}

export interface ScalingModel {
  readonly replicas: number;
  readonly autoscaling: { readonly enabled: boolean; readonly minReplicas: number; readonly maxReplicas: number; readonly targetCPUUtilizationPercentage?: number; readonly targetMemoryUtilizationPercentage?: number };
  readonly pdb: { readonly enabled: boolean; readonly minAvailable?: number | string; readonly maxUnavailable?: number | string; readonly unhealthyPodEvictionPolicy: 'IfHealthyBudget' | 'AlwaysAllow' };
}

export interface ServiceAccountModel {
  readonly create: boolean;
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly automountToken: boolean;
}

/** RBAC of the service's ServiceAccount. */
export interface RbacModel {
  readonly rules: readonly { readonly apiGroups: readonly string[]; readonly resources: readonly string[]; readonly verbs: readonly string[]; readonly resourceNames?: readonly string[] }[];
  readonly clusterWide: boolean;
  /** With clusterWide: the namespace of the ServiceAccount. */
  readonly namespace?: string;
  /** Names of the security exceptions allowing wildcards (empty when the rules have none). */
  readonly wildcardExceptions: readonly string[];
}

export interface MetricsModel {
  readonly port: string;
  readonly path: string;
  readonly mode: 'serviceMonitor' | 'annotations';
  readonly interval: string;
  readonly serviceMonitorLabels: Readonly<Record<string, string>>;
}

/** Extra volumes and mounts of the main container. */
export interface StorageModel {
  /** Pod volumes as Kubernetes writes them; `claim` when Slipway creates the PersistentVolumeClaim. */
  readonly volumes: readonly { readonly name: string; readonly source: Readonly<Record<string, unknown>>; readonly claim?: { readonly size: string; readonly storageClass?: string; readonly accessModes: readonly string[] } }[];
  readonly mounts: readonly { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean; readonly subPath?: string }[];
}

/** An init container, defaults applied (rendered with the main container's security context). */
export interface InitContainerModel {
  readonly name: string;
  readonly image: string;
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly resources?: ContainerModel['resources'];
  readonly mounts: readonly { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean; readonly subPath?: string }[];
}

/** JSON patch operations on one generated object (index: the entry in `patches`). */
export interface PatchModel {
  readonly index: number;
  readonly kind: string;
  /** The object's name; undefined: the only object of `kind`. */
  readonly name?: string;
  readonly ops: readonly { readonly op: 'add' | 'replace' | 'remove'; readonly path: string; readonly value?: unknown }[];
}
