/**
 * Cross-service checks of the output layout when environments or Argo CD Applications are
 * declared: `dist/<env>/` and `dist/argocd/` must not be a service's own directory, and a host
 * whose pods run attached sidecars cannot have environments (its environments' models do not
 * carry the sidecars).
 */
import { SpecError, formatPath, type Finding, type FieldPath } from '../spec/errors';
import type { LoadedService } from '../spec/load';

/** The directory the Argo CD Applications are written to, under the output directory. */
export const ARGOCD_DIR = 'argocd';

/** Throws a located SpecError when the layout of linked services would mix directories. */
export function checkLayout(services: readonly LoadedService[]): void {
  const findings: Finding[] = [];
  const at = (svc: LoadedService, path: FieldPath, message: string) => findings.push({ ...(svc.locate?.(path) ?? { file: svc.file, path: formatPath(path) }), message });
  const fullnames = new Set(services.map((s) => s.model.fullname));
  const anyArgo = services.some((s) => s.spec.gitops?.argocd);
  for (const svc of services) {
    for (const env of svc.environments ?? []) {
      if (fullnames.has(env.name)) at(svc, ['environments', env.name], `environment "${env.name}" has the name of a service of this run (dist/${env.name}/ is that service's directory): rename the environment or the service`);
    }
    if (svc.environments?.length && svc.model.sidecars?.length) {
      at(svc, ['environments'], `sidecars attach to this service (${svc.model.sidecars.map((s) => s.name).join(', ')}), which environments do not support yet: remove the environments or the sidecars`);
    }
    if (anyArgo && svc.model.fullname === ARGOCD_DIR) at(svc, ['name'], `"${ARGOCD_DIR}" is the directory of the generated Argo CD Applications: give the service another name or instance`);
  }
  if (findings.length) throw new SpecError(findings);
}
