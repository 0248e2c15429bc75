/** templates/NOTES.txt: where the service is reachable and how to test it, after install. */
import type { ServiceModel } from '../model/types';
import type { ValueParam } from './values';
import { valuesRef } from '../render/values-ref';
import { notesRequirements } from './install-requirements';

/** NOTES.txt; refers only to values keys the chart declares (`helm lint --strict` checks). */
export function notesTxt(m: ServiceModel, params: readonly ValueParam[]): string {
  const has = (k: string) => params.some((p) => p.key === k);
  const c = m.name;
  const lines = ['{{ .Chart.Name }} {{ .Chart.AppVersion }} is deployed as release {{ .Release.Name }} in namespace {{ .Release.Namespace }}.'];
  const port = m.container.ports.find((p) => p.expose);
  if (port && has('service.enabled')) {
    const ref = valuesRef(`service.ports.${port.name}`);
    lines.push(
      '{{- if .Values.service.enabled }}',
      '',
      `In the cluster: {{ include "${c}.fullname" . }}.{{ .Release.Namespace }}.svc:{{ ${ref} }} (port "${port.name}")`,
      `From here:      kubectl --namespace {{ .Release.Namespace }} port-forward svc/{{ include "${c}.fullname" . }} {{ ${ref} }}`,
      '{{- end }}',
    );
  }
  if (has('ingress.enabled')) {
    lines.push(
      '{{- if .Values.ingress.enabled }}',
      '',
      'Through the Ingress:',
      '{{- range .Values.ingress.hosts }}',
      '  http{{ if $.Values.ingress.tls }}s{{ end }}://{{ .host }}/',
      '{{- end }}',
      '{{- end }}',
    );
  }
  lines.push(...notesRequirements(m));
  if (port && has('service.enabled')) lines.push('', 'Check the Service answers: helm test {{ .Release.Name }} --namespace {{ .Release.Namespace }}');
  return `${lines.join('\n')}\n`;
}
