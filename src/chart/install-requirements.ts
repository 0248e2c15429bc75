/**
 * What a cluster must offer for this chart beyond `kubeVersion`, said where installers read it
 * (the chart README and NOTES.txt): a native sidecar (an init container with restartPolicy
 * Always) needs Kubernetes >= 1.29, or 1.28 with the SidecarContainers feature gate. On a 1.28
 * cluster without the gate the API server drops restartPolicy and the pod never leaves Init.
 */
import type { ServiceModel } from '../model/types';

/** Names of the native sidecars attached to the service. */
function nativeSidecars(m: ServiceModel): string[] {
  return (m.sidecars ?? []).filter((s) => s.workload.sidecar?.mode === 'native').map((s) => s.name);
}

const WHY = 'it is an init container with restartPolicy Always, which an API server without the gate drops, so the pod would never leave Init';

/** Requirement paragraphs for the chart README (empty when there are none). */
export function readmeRequirements(m: ServiceModel): string {
  const names = nativeSidecars(m);
  if (!names.length) return '';
  return `\n\nThe native sidecar${names.length > 1 ? 's' : ''} ${names.map((n) => `\`${n}\``).join(', ')} need${names.length > 1 ? '' : 's'} Kubernetes >= 1.29, or 1.28 with the \`SidecarContainers\` feature gate: ${WHY}. Set \`workload.sidecar.mode: container\` in the declaration for older clusters.`;
}

/** NOTES.txt lines: a warning printed on install when the cluster is older than 1.29. */
export function notesRequirements(m: ServiceModel): string[] {
  const names = nativeSidecars(m);
  if (!names.length) return [];
  return [
    '{{- if semverCompare "<1.29.0-0" .Capabilities.KubeVersion.Version }}',
    '',
    `WARNING: native sidecar ${names.join(', ')} needs Kubernetes >= 1.29 (this cluster: {{ .Capabilities.KubeVersion.Version }}),`,
    `or 1.28 with the SidecarContainers feature gate (API server and kubelets): ${WHY}.`,
    '{{- end }}',
  ];
}
