/**
 * `templates/tests/`: the `helm test` hook. A Pod (PSS restricted: numeric non-root user, drop
 * ALL, seccomp RuntimeDefault, read-only root, resources) opens a TCP connection to the
 * Service's first TCP port. When the chart's NetworkPolicy is on, a test-hook NetworkPolicy admits
 * that Pod for the duration of the test (hooks are deleted once all have succeeded).
 * Hooks are not part of the default objects (`helm template` prints them, annotated
 * `helm.sh/hook: test`; `helm install` does not create them).
 */
import type { ServiceModel } from '../model/types';
import type { ValueParam } from './values';
import { valuesRef } from '../render/values-ref';

/** The default image of the test Pod (busybox's `nc -z`): values key `tests.image`. */
export const TEST_IMAGE = 'busybox:1.36.1';

/** The `tests.image` values key, for a chart that has a test Pod. */
export function testParams(m: ServiceModel, params: readonly ValueParam[]): ValueParam[] {
  return testedPort(m, params) ? [{ key: 'tests.image', doc: `Image of the helm test Pod; it runs \`nc -z\` (busybox or an image with netcat, e.g. from your own registry)`, default: TEST_IMAGE }] : [];
}
/** Numeric non-root user of the test Pod (nobody). */
export const TEST_UID = 65534;

/** The first exposed TCP port, when the chart renders a Service. */
function testedPort(m: ServiceModel, params: readonly ValueParam[]) {
  if (!params.some((p) => p.key === 'service.enabled')) return undefined;
  return m.container.ports.find((p) => p.expose && p.protocol === 'TCP');
}

/** Files under templates/tests/ (none when there is no Service to test). */
export function chartTests(m: ServiceModel, params: readonly ValueParam[]): Record<string, string> {
  const port = testedPort(m, params);
  if (!port) return {};
  const c = m.name;
  const portRef = valuesRef(`service.ports.${port.name}`);
  const labels = `    app.kubernetes.io/name: {{ printf "%s-test" (include "${c}.name" .) | toJson }}
    app.kubernetes.io/instance: {{ .Release.Name | toJson }}
    app.kubernetes.io/component: test
    app.kubernetes.io/managed-by: slipway`;
  const hook = (weight: number) => `  annotations:
    helm.sh/hook: test
    helm.sh/hook-weight: "${weight}"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded`;
  const files: Record<string, string> = {};
  files['templates/tests/test-connection.yaml'] = `{{- if .Values.service.enabled }}
apiVersion: v1
kind: Pod
metadata:
  name: {{ printf "%s-test-connection" (include "${c}.fullname" .) | toJson }}
  labels:
${labels}
${hook(0)}
spec:
  restartPolicy: Never
  automountServiceAccountToken: false
  securityContext:
    runAsNonRoot: true
    runAsUser: ${TEST_UID}
    runAsGroup: ${TEST_UID}
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: connect
      image: {{ .Values.tests.image | toJson }}
      imagePullPolicy: IfNotPresent
      command: ["nc", "-z", "-w", "5", {{ include "${c}.fullname" . | toJson }}, {{ ${portRef} | toString | toJson }}]
      securityContext:
        allowPrivilegeEscalation: false
        capabilities:
          drop: ["ALL"]
        privileged: false
        readOnlyRootFilesystem: true
        runAsNonRoot: true
        runAsUser: ${TEST_UID}
        runAsGroup: ${TEST_UID}
        seccompProfile:
          type: RuntimeDefault
      resources:
        requests:
          cpu: 10m
          memory: 16Mi
        limits:
          cpu: 100m
          memory: 32Mi
{{- end }}
`;
  if (params.some((p) => p.key === 'networkPolicy.enabled')) {
    files['templates/tests/test-networkpolicy.yaml'] = `{{- if and .Values.service.enabled .Values.networkPolicy.enabled }}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ printf "%s-test-connection" (include "${c}.fullname" .) | toJson }}
  labels:
${labels}
${hook(-1)}
spec:
  podSelector:
    matchLabels:
      {{- include "${c}.selectorLabels" . | nindent 6 }}
  policyTypes: ["Ingress"]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: {{ printf "%s-test" (include "${c}.name" .) | toJson }}
              app.kubernetes.io/instance: {{ .Release.Name | toJson }}
      ports:
        - port: ${JSON.stringify(port.name)}
          protocol: TCP
{{- end }}
`;
  }
  return files;
}
