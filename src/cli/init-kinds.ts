/**
 * What `slipway init --kind <kind>` puts in a new spec beyond name, version and image: each kind's
 * body is a spec that validates without warnings and whose output passes every checker as
 * generated (test/cli/init-kinds.test.ts runs kubeconform, kube-linter, kube-score and Polaris on it).
 */

/** The kinds `--kind` accepts. */
export const INIT_KINDS = ['web', 'worker', 'cronjob', 'statefulset'] as const;
export type InitKind = (typeof INIT_KINDS)[number];

/** The kinds that listen on a port (`--port` applies to them). */
export const KINDS_WITH_PORTS: readonly InitKind[] = ['web', 'statefulset'];

/** An HTTP port named `http` and the health and readiness probes on it. */
function httpPortAndProbes(port: number): string[] {
  return [
    `ports:`,
    `  - name: http`,
    `    containerPort: ${port}`,
    `health:`,
    `  http: { path: /healthz, port: http }`,
    `  readiness: { http: { path: /readyz, port: http } }`,
  ];
}

/** The spec lines of one kind (after `image:`, before `resources:`). */
export function kindBody(kind: InitKind, name: string, port: number): string[] {
  switch (kind) {
    case 'web':
      return httpPortAndProbes(port);
    case 'worker':
      return [
        `# A worker: no ports, so no Service, and the NetworkPolicy lets nobody in. Allow what it`,
        `# connects to under networkPolicy.egressTo (e.g. - service: rabbitmq, ports: [5672]).`,
        `args: [work]`,
        `health:`,
        `  # Liveness only: the process proves it is not stuck (e.g. by checking a heartbeat file).`,
        `  # Readiness gates nothing without a Service, so it is switched off by name.`,
        `  liveness:`,
        `    exec: { command: [/usr/local/bin/${name}, healthcheck] }`,
        `    periodSeconds: 20`,
        `  startup: { enabled: false }`,
        `  readiness: { enabled: false }`,
      ];
    case 'cronjob':
      return [
        `# A scheduled worker: a CronJob whose runs start at the schedule's times (a run still going`,
        `# when the next is due makes the new one skip). Nothing connects to it: no ports, no probes.`,
        `args: [run]`,
        `workload:`,
        `  kind: CronJob`,
        `  cronJob:`,
        `    schedule: "0 3 * * *"      # five cron fields, or @hourly, @daily, ...`,
        `    timeZone: Etc/UTC`,
        `  job:`,
        `    backoffLimit: 2`,
        `    activeDeadlineSeconds: 3600`,
      ];
    case 'statefulset':
      return [
        `# A stateful service: a StatefulSet whose replicas each keep their own PersistentVolumeClaim`,
        `# (data-${name}-0, data-${name}-1, ...; kept when the StatefulSet is deleted or scaled down) and`,
        `# find each other at ${name}-<ordinal>.${name}-headless (the governing headless Service).`,
        `workload:`,
        `  kind: StatefulSet`,
        `  statefulSet:`,
        `    volumeClaims:`,
        `      - { name: data, size: 1Gi, mountPath: /var/lib/${name} }`,
        `replicas: 3`,
        ...httpPortAndProbes(port),
        `networkPolicy:`,
        `  # The other replicas (e.g. replication between peers): allow them in and out explicitly.`,
        `  ingressFrom: [{ service: ${name}, ports: [http] }]`,
        `  egressTo: [{ service: ${name}, ports: [${port}] }]`,
      ];
  }
}
