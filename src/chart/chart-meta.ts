/** Chart.yaml and .helmignore. */
import type { ServiceModel } from '../model/types';
import { toYaml } from './yaml-out';
import { imageRef } from '../render/image-ref';

/** Kubernetes versions the chart supports (the manifests target the 1.28 API). */
export const KUBE_VERSION = '>=1.28.0-0';

/**
 * Chart.yaml. `version` is the spec's `chart.version` (default {@link DEFAULT_CHART_VERSION}),
 * independent of `appVersion`, which feeds the app.kubernetes.io/version label as in the manifests.
 * Metadata (home, sources, maintainers, icon, keywords) comes from the spec's `chart`; the
 * `artifacthub.io/images` annotation lists the images the chart runs; `slipway.dev/content-digest`
 * is the digest of everything else in the chart (see chart-version.ts), so a content change under
 * an unchanged version can be told apart.
 */
export function chartYaml(m: ServiceModel, contentDigest?: string): string {
  const obj = chartYamlObject(m, contentDigest);
  const { 'artifacthub.io/images': images, ...rest } = obj.annotations as Record<string, string>;
  // A literal block (toYaml would double-quote a string that starts with "-"); its lines are
  // DNS-label names and validated image references, so they need no quoting.
  const block = `  artifacthub.io/images: |\n${images.replace(/^(?=.)/gm, '    ')}`;
  return toYaml({ ...obj, annotations: rest }).replace(/^annotations:\n/m, `annotations:\n${block}`);
}

/** Chart.yaml as an object (key order as written). */
export function chartYamlObject(m: ServiceModel, contentDigest?: string): Record<string, unknown> {
  const c = m.chart ?? {};
  const maintainers = (c.maintainers ?? []).map((x) => ({ name: x.name, ...(x.email ? { email: x.email } : {}), ...(x.url ? { url: x.url } : {}) }));
  return {
    apiVersion: 'v2',
    name: m.name,
    description: m.description,
    type: 'application',
    version: c.version ?? DEFAULT_CHART_VERSION,
    appVersion: m.version,
    kubeVersion: KUBE_VERSION,
    ...(c.home ? { home: c.home } : {}),
    ...(c.sources?.length ? { sources: [...c.sources] } : {}),
    ...(c.keywords?.length ? { keywords: [...c.keywords] } : {}),
    ...(maintainers.length ? { maintainers } : {}),
    ...(c.icon ? { icon: c.icon } : {}),
    annotations: {
      'artifacthub.io/images': artifactHubImages(m),
      ...(contentDigest ? { 'slipway.dev/content-digest': contentDigest } : {}),
      'slipway.dev/generated': 'true',
    },
  };
}

/** The chart version when the spec sets none. */
export const DEFAULT_CHART_VERSION = '0.1.0';

/** `artifacthub.io/images`: a YAML list (as a string) of the images the chart runs by default. */
export function artifactHubImages(m: ServiceModel): string {
  const images = [{ name: m.name, image: imageRef(m.image) }, ...(m.sidecars ?? []).map((s) => ({ name: s.name, image: imageRef(s.image) }))];
  return images.map((i) => `- name: ${i.name}\n  image: ${i.image}\n`).join('');
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
