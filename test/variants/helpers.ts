/** Shared helpers of the workload-variant tests: render spec sets (with the cross-service step) and validate. */
import { loadSpecText, type LoadedService } from '../../src/spec/load';
import { linkServices } from '../../src/app/link';
import { renderManifestObjects } from '../../src/app/manifests';
import { validateK8sObject, isCoreKind } from '../support/k8s-schema';
import { hasCrd, validateCustomResource } from '../support/crd-schema';

/** Loads a YAML spec set (one or more documents) as `x.yaml` and links sidecars to their hosts. */
export function loadSet(yaml: string, file = 'x.yaml'): LoadedService[] {
  return linkServices(loadSpecText(yaml, file));
}

/** Manifests-mode objects of every service of a spec set, keyed by the service's fullname. */
export function renderSet(yaml: string): Record<string, any[]> {
  return Object.fromEntries(loadSet(yaml).map((s) => [s.model.fullname, renderManifestObjects(s.model)]));
}

/** Manifests-mode objects of a one-service spec. */
export function renderOne(yaml: string): any[] {
  const set = renderSet(yaml);
  const names = Object.keys(set);
  if (names.length !== 1) throw new Error(`expected one service, got ${names.join(', ')}`);
  return set[names[0]];
}

/** The formatted SpecError of loading (and linking) a spec set, or undefined when it is valid. */
export function errorOf(yaml: string, file = 'x.yaml'): string | undefined {
  try {
    loadSet(yaml, file);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export function find(objects: readonly any[], kind: string, name?: string): any {
  return objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
}

/** Strict validation of every object: core kinds against Kubernetes 1.28, custom resources against their CRDs. */
export function schemaErrors(objects: readonly any[]): string[] {
  return objects.flatMap((o) => {
    if (isCoreKind(o)) return validateK8sObject(o);
    if (hasCrd(o)) return validateCustomResource(o);
    return [`${o.kind}/${o.metadata?.name}: neither a Kubernetes 1.28 kind nor a CRD of ../shared/crds`];
  });
}

/** Line (1-based) of the first line of `yaml` containing `text`. */
export function lineOf(yaml: string, text: string): number {
  const i = yaml.split('\n').findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`"${text}" is not in the spec`);
  return i + 1;
}

/** A minimal web service to host sidecars or carry features. */
export const WEB = `name: web
version: 1.2.3
image: { repository: acme/web }
ports: [{ name: http, containerPort: 8080 }]
health:
  http: { path: /healthz, port: http }
  readiness: { http: { path: /ready, port: http } }
`;
