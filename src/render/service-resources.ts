import { Construct } from 'constructs';
import type { ApiObject } from 'cdk8s';
import type { ServiceModel } from '../model/types';
import { Recorder, type RenderMode } from './recorder';
import type { RenderContext } from './context';
import { renderWorkload } from './workload';
import { renderService, renderIngress, renderNetworkPolicy } from './network';
import { renderHpa, renderPdb } from './scaling';
import { renderServiceAccount } from './service-account';
import { renderConfig } from './config';
import { renderInlineSecrets } from './secrets';
import { renderExternalSecrets } from './external-secret';
import { renderHttpRoute } from './http-route';
import { renderServiceMonitor } from './metrics';
import { renderMigration } from './migration';
import { applySyncWaves } from './sync-waves';
import { renderSidecarResources } from './sidecar';
import { annotateExemptions, workloadExemptions, exemptReplicasUnderHpa } from './exemptions';
import { bindChoiceExemptions } from './choice-exemptions';
import { renderRbac } from './rbac';
import { renderHeadlessService } from './statefulset';
import { renderStorageClaims } from './storage';
import { renderExtraObjects } from './extra-objects';
import { applyPatches } from './patches';

/** Props of {@link ServiceResources}. */
export interface ServiceResourcesProps {
  /** The resolved service. */
  readonly model: ServiceModel;
  /**
   * `manifests`: exactly the objects of the default render (disabled parts removed).
   * `chart`: every object the chart can render, with the recorder filled for the chart writer.
   * @default "manifests"
   */
  readonly mode?: RenderMode;
}

/** Every Kubernetes object of one service, rendered from the model, with its chart parameterization recorded. */
export class ServiceResources extends Construct {
  /** How the rendered fields map to Helm values. */
  readonly recorder: Recorder;
  /** The Deployment or DaemonSet (undefined for a sidecar). */
  readonly workload?: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceResourcesProps) {
    super(scope, id);
    const mode = props.mode ?? 'manifests';
    this.recorder = new Recorder(props.model.name);
    const ctx: RenderContext = { model: props.model, rec: this.recorder, mode };
    // An attached sidecar is rendered with its host (see linkServices).
    if (props.model.sidecarOf) return;
    // A sidecar runs under its host's ServiceAccount.
    if (props.model.workload.kind !== 'Sidecar') renderServiceAccount(this, ctx);
    renderRbac(this, ctx);
    renderConfig(this, ctx);
    renderInlineSecrets(this, ctx);
    renderExternalSecrets(this, ctx);
    renderSidecarResources(this, ctx);
    renderStorageClaims(this, ctx);
    this.workload = renderWorkload(this, ctx);
    if (this.workload) {
      annotateExemptions(this.workload, workloadExemptions(props.model));
      exemptReplicasUnderHpa(ctx, this.workload);
      bindChoiceExemptions(ctx, this.workload);
    }
    renderService(this, ctx);
    renderHeadlessService(this, ctx);
    renderIngress(this, ctx);
    renderHttpRoute(this, ctx);
    renderHpa(this, ctx);
    renderPdb(this, ctx);
    renderNetworkPolicy(this, ctx);
    renderServiceMonitor(this, ctx);
    renderMigration(this, ctx, this.apiObjects);
    renderExtraObjects(this, ctx);
    applySyncWaves(props.model, this.apiObjects);
    if (mode === 'manifests') this.recorder.project(this.apiObjects);
    // Last: the spec's own patches see the objects as written (render/patches.ts).
    if (props.model.patches.length) applyPatches(ctx, this.apiObjects);
  }

  /** The rendered objects, in a stable order. */
  get apiObjects(): ApiObject[] {
    return this.node.findAll().filter((c): c is ApiObject => c !== this && 'toJson' in c && 'kind' in c) as ApiObject[];
  }
}
