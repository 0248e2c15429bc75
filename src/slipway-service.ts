import { Construct } from 'constructs';
import type { ApiObject } from 'cdk8s';
import type { ServiceSpec } from './spec/types';
import type { ServiceModel } from './model/types';
import { modelFromProps } from './spec/validate-props';
import { ServiceResources } from './render/service-resources';

/**
 * One Slipway service inside your own cdk8s chart: the same objects `slipway synth` writes for
 * the same spec. Props are the YAML spec's fields (see `ServiceSpec`), validated by the same
 * JSON Schema and checks; a bad prop throws a SpecError naming the field path.
 *
 * @example
 * new SlipwayService(chart, 'api', { name: 'api', version: '1.0.0', image: { repository: 'acme/api' },
 *   ports: [{ name: 'http', containerPort: 8080 }], health: { http: { path: '/healthz' } } });
 */
export class SlipwayService extends Construct {
  /** The resolved model (every default applied). */
  readonly model: ServiceModel;
  /** The Deployment or DaemonSet, for escape hatches (undefined for a sidecar). */
  readonly workload?: ApiObject;
  /** Every rendered object. */
  readonly apiObjects: readonly ApiObject[];

  constructor(scope: Construct, id: string, props: ServiceSpec) {
    super(scope, id);
    this.model = modelFromProps(props, this.node.path);
    const resources = new ServiceResources(this, 'resources', { model: this.model });
    this.workload = resources.workload;
    this.apiObjects = resources.apiObjects;
  }
}
