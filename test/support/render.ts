/** Renders an inline spec (YAML text) to its manifests-mode objects. */
import { loadSpecText } from '../../src/spec/load';
import { renderManifestObjects } from '../../src/app/manifests';

/** A minimal valid service; tests add fields with YAML. */
export const BASE = `name: web
version: 1.2.3
image: { repository: acme/web }
ports: [{ name: http, containerPort: 8080 }]
`;

export function render(yaml: string): any[] {
  return loadSpecText(yaml, 'spec.yaml').flatMap((s) => renderManifestObjects(s.model));
}

export function find(objects: any[], kind: string): any {
  return objects.find((o) => o.kind === kind);
}

/** The main container of the Deployment/DaemonSet. */
export function mainContainer(objects: any[]): any {
  const w = objects.find((o) => o.kind === 'Deployment' || o.kind === 'DaemonSet');
  return w.spec.template.spec.containers[0];
}

/** The formatted error of loading a spec, or undefined when it loads. */
export function loadError(yaml: string): string | undefined {
  try {
    loadSpecText(yaml, 'spec.yaml');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
