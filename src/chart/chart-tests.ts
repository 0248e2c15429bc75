/**
 * `templates/tests/`: the `helm test` hook. A Pod (PSS restricted: numeric non-root user, drop
 * ALL, seccomp RuntimeDefault, read-only root, resources) opens a TCP connection to the
 * Service's first TCP port, retrying for a bounded time (TEST_ATTEMPTS x at most
 * TEST_CONNECT_TIMEOUT + TEST_INTERVAL seconds): right after `helm install --wait` returns, kube-proxy
 * may not have programmed the Service yet, and DNS may lag, so a single attempt fails at random
 * (measured on a real kubelet: 6 of 21 runs). Host and port reach the script as env vars, never
 * spliced into it, so values cannot change what it runs. When the chart's NetworkPolicy is on, a test-hook NetworkPolicy admits
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
/** Connection attempts of the test Pod before it fails. */
export const TEST_ATTEMPTS = 30;
/** Seconds between attempts, and the connect timeout of each. */
export const TEST_INTERVAL = 2;
export const TEST_CONNECT_TIMEOUT = 2;

/** The test Pod's script: `nc -z` until it connects, at most $ATTEMPTS times. */
export const TEST_SCRIPT = 'i=1; until nc -z -w "$CONNECT_TIMEOUT" "$TARGET_HOST" "$TARGET_PORT"; do '
  + 'if [ "$i" -ge "$ATTEMPTS" ]; then echo "$TARGET_HOST:$TARGET_PORT: no connection after $i attempts"; exit 1; fi; '
  + 'i=$((i + 1)); sleep "$INTERVAL"; done; echo "$TARGET_HOST:$TARGET_PORT: connected (attempt $i)"';

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
      command: ["sh", "-c", ${JSON.stringify(TEST_SCRIPT)}]
      env:
        - name: TARGET_HOST
          value: {{ include "${c}.fullname" . | toJson }}
        - name: TARGET_PORT
          value: {{ ${portRef} | toString | toJson }}
        - name: ATTEMPTS
          value: "${TEST_ATTEMPTS}"
        - name: INTERVAL
          value: "${TEST_INTERVAL}"
        - name: CONNECT_TIMEOUT
          value: "${TEST_CONNECT_TIMEOUT}"
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
