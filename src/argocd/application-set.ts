/**
 * One ApplicationSet per service (`gitops.argocd.applicationSet: true`): a list generator with one
 * element per environment and cluster, and a template from which Argo CD's ApplicationSet
 * controller generates exactly the Applications Slipway writes without the option.
 *
 * Values cannot change structure: every value that comes from the spec (names, labels, repository,
 * revision, paths, project, destination) is data in a list element, never text of the template.
 * The template holds only Slipway's constants and `{{ .key }}` references (Go templates,
 * `missingkey=error`); a referenced value is substituted into one string field and is not parsed
 * again. What differs in shape between elements (a destination by server URL or by cluster name,
 * a cluster label or none, a values file or none) is carried by `templatePatch`, which inserts
 * whole element fields with `toJson`, so a value is always one JSON string.
 * `preserveResourcesOnDeletion` keeps the generated Applications free of the resources
 * finalizer, as the Applications written without the option are (deleting one never deletes the
 * workload's objects).
 */
import type { ServiceModel } from '../model/types';

type App = Record<string, any>;

/** The templatePatch: the element fields whose shape varies, inserted as JSON. */
const TEMPLATE_PATCH = [
  '{"metadata": {"labels": {{ toJson .labels }}},',
  ' "spec": {"source": {{ toJson .source }}, "destination": {{ toJson .destination }}}}',
  '',
].join('\n');

/** The list element of one Application: everything in it that comes from the spec. */
function element(app: App): Record<string, unknown> {
  return {
    name: app.metadata.name,
    labels: app.metadata.labels,
    project: app.spec.project,
    source: app.spec.source,
    destination: app.spec.destination,
    podSecurity: app.spec.syncPolicy.managedNamespaceMetadata.labels['pod-security.kubernetes.io/enforce'],
  };
}

/**
 * The ApplicationSet of a service whose Applications are `apps` (as `application()` builds them:
 * all in one namespace, with the same sync policy and ignoreDifferences, which are service-level).
 */
export function applicationSet(base: ServiceModel, apps: App[]): Record<string, unknown> {
  const first = apps[0];
  const shared = (app: App) => JSON.stringify([app.metadata.namespace, app.spec.syncPolicy.automated, app.spec.syncPolicy.syncOptions, app.spec.ignoreDifferences]);
  // Internal invariant (these are service-level): one template serves every element.
  if (apps.some((app) => shared(app) !== shared(first))) throw new Error(`ApplicationSet ${base.fullname}: Applications differ beyond the list elements`);
  const { automated } = first.spec.syncPolicy;
  const level = '{{ .podSecurity }}';
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: {
      name: base.fullname,
      namespace: first.metadata.namespace,
      labels: {
        'app.kubernetes.io/name': base.name,
        'app.kubernetes.io/instance': base.instance,
        'app.kubernetes.io/managed-by': 'slipway',
      },
    },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [{ list: { elements: apps.map(element) } }],
      template: {
        metadata: { name: '{{ .name }}' },
        spec: {
          project: '{{ .project }}',
          destination: { namespace: '{{ .destination.namespace }}' },
          syncPolicy: {
            ...(automated ? { automated } : {}),
            syncOptions: first.spec.syncPolicy.syncOptions,
            managedNamespaceMetadata: {
              labels: {
                'pod-security.kubernetes.io/enforce': level,
                'pod-security.kubernetes.io/audit': level,
                'pod-security.kubernetes.io/warn': level,
              },
            },
          },
          ...(first.spec.ignoreDifferences ? { ignoreDifferences: first.spec.ignoreDifferences } : {}),
        },
      },
      templatePatch: TEMPLATE_PATCH,
      syncPolicy: { preserveResourcesOnDeletion: true },
    },
  };
}
