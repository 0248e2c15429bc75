/** Chart.yaml and .helmignore. */
import type { ServiceModel } from '../model/types';
import { toYaml } from './yaml-out';

/** Kubernetes versions the chart supports (the manifests target the 1.28 API). */
export const KUBE_VERSION = '>=1.28.0-0';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** The chart version: the app version when it is SemVer 2 (a leading `v` dropped), else 0.1.0. */
export function chartVersion(appVersion: string): string {
  const v = appVersion.replace(/^v(?=\d)/, '');
  return SEMVER.test(v) ? v : '0.1.0';
}

/** Chart.yaml. `appVersion` feeds the app.kubernetes.io/version label, as in the manifests. */
export function chartYaml(m: ServiceModel): string {
  return toYaml({
    apiVersion: 'v2',
    name: m.name,
    description: m.description,
    type: 'application',
    version: chartVersion(m.version),
    appVersion: m.version,
    kubeVersion: KUBE_VERSION,
    annotations: { 'slipway.dev/generated': 'true' },
  });
}

/** .helmignore, as helm create writes it. */
export const HELMIGNORE = `# Patterns to ignore when building packages.
# This supports shell glob matching, relative path matching, and
# negation (prefixed with !). Only one pattern per line.
.DS_Store
# Common VCS dirs
.git/
.gitignore
.bzr/
.bzrignore
.hg/
.hgignore
.svn/
# Common backup files
*.swp
*.bak
*.tmp
*.orig
*~
# Various IDEs
.project
.idea/
*.tmproj
.vscode/
`;
