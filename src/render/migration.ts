/**
 * The migration Job: runs the spec's `migration.command` with the app's image, env, secrets and
 * security before each rollout — a Helm `pre-install,pre-upgrade` hook and an Argo CD `PreSync`
 * hook. The command must be idempotent (it runs on every upgrade/sync and is retried).
 *
 * Hooks run before the release's own objects exist (first install, first sync), so the Job cannot
 * read the release's ServiceAccount, ConfigMaps or generated Secrets. It reads hook-scoped copies
 * instead (`<fullname>-migrate[-suffix]`, created just before it, deleted with it), and a copy of
 * the NetworkPolicy confines it like the app. Its pods are labelled `<name>-migration`, so the
 * Service, PDB and NetworkPolicy of the app never select them. It serves no port, so its pod
 * security context is the app's without the port sysctl (`podSecurityContext` minus `sysctls`).
 */
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ServiceModel } from '../model/types';
import { childName } from '../model/naming';
import { metadata, nameExpr, recordMetadata, standardLabels, type RenderContext } from './context';
import type { Binding, Condition } from './recorder';
import { bindVolumeNames, mainContainer } from './pod';
import { PORT_POD_SECURITY_KEYS, portlessPodSecurityContext } from './container';
import { podVolumes } from './volumes';
import { valuesRef } from './values-ref';
import { annotateExemptions, idExemptions } from './exemptions';

export const MIGRATION_SUFFIX = 'migrate';

/** Helm hook annotations (lower weights first). */
export function helmHook(weight: number): Record<string, string> {
  return {
    'helm.sh/hook': 'pre-install,pre-upgrade',
    'helm.sh/hook-weight': String(weight),
    'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
  };
}

/** Argo CD hook annotations (sync waves order hooks inside the PreSync phase). */
export function argoHook(weight: number, syncWaves: boolean): Record<string, string> {
  return {
    'argocd.argoproj.io/hook': 'PreSync',
    'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    ...(syncWaves ? { 'argocd.argoproj.io/sync-wave': String(weight) } : {}),
  };
}

/** True for objects rendered as Helm or Argo CD hooks (sync waves leave them alone). */
export function isHook(obj: ApiObject): boolean {
  const a = obj.metadata.toJson().annotations ?? {};
  return 'helm.sh/hook' in a || 'argocd.argoproj.io/hook' in a;
}

/** Labels of the migration pods: the app's, under a name of their own so no app selector matches. */
export function migrationPodLabels(m: ServiceModel): Record<string, string> {
  return { ...standardLabels(m), 'app.kubernetes.io/name': `${m.name}-migration`, 'app.kubernetes.io/component': 'migration' };
}

/** Kinds the Job may depend on, copied as hooks. */
const COPIED = ['ServiceAccount', 'ConfigMap', 'Secret', 'ExternalSecret', 'NetworkPolicy'];

/**
 * Renders the Job and the hook copies of `rendered` objects it needs. Helm: `migration.enabled`,
 * `migration.command`, `migration.args`, `migration.activeDeadlineSeconds`, `migration.backoffLimit`,
 * `migration.ttlSecondsAfterFinished`.
 */
export function renderMigration(scope: Construct, ctx: RenderContext, rendered: readonly ApiObject[]): void {
  const m = ctx.model;
  const mig = m.migration;
  if (!mig || m.workload.kind === 'Sidecar') return;
  const rec = ctx.rec;
  rec.declare('migration.enabled', 'Run the migration Job (a pre-install/pre-upgrade and PreSync hook) before each rollout', true);
  const enabled: Condition = { key: 'migration.enabled' };
  const renameExpr = migrationExprRenamer(ctx);

  for (const obj of rendered) {
    if (!COPIED.includes(obj.kind) || isHook(obj)) continue;
    copyAsHook(scope, ctx, obj, renameExpr, enabled);
  }

  const jm = migrationModel(m);
  const jctx: RenderContext = { ...ctx, model: jm };
  const bs: Binding[] = [];
  const tpl = '/spec/template';
  const container = mainContainer(jctx, bs, `${tpl}/spec/containers/0`);
  rec.block(bs, `${tpl}/spec/containers/0/command`, 'migration.command', 'Command of the migration Job (must be idempotent)');
  rec.block(bs, `${tpl}/spec/containers/0/args`, 'migration.args', 'Args of the migration Job', []);
  const volumes: Record<string, any>[] = podVolumes(jm).map((v) => v.volume);
  bindVolumeNames(jctx, bs, `${tpl}/spec/volumes`, volumes);
  const saCopy = childName(m.fullname, MIGRATION_SUFFIX);
  const full = `include "${rec.chartName}.fullname" .`;
  // The copy when the chart creates the ServiceAccount, else the existing one.
  rec.expr(bs, `${tpl}/spec/serviceAccountName`,
    `ternary (printf "%s-${MIGRATION_SUFFIX}" (${full})) (include "${rec.chartName}.serviceAccountName" .) ${valuesRef('serviceAccount.create')}`);
  rec.scalar(bs, `${tpl}/spec/automountServiceAccountToken`, 'serviceAccount.automountToken', 'Mount the API token into pods');
  // The Job binds no port: the app's pod security context without the port sysctl.
  rec.blockWithout(bs, `${tpl}/spec/securityContext`, 'podSecurityContext', 'Pod security context (PSS restricted)', PORT_POD_SECURITY_KEYS);
  rec.block(bs, `${tpl}/spec/imagePullSecrets`, 'imagePullSecrets', 'Image pull secrets (list of {name})', []);
  rec.block(bs, `${tpl}/spec/nodeSelector`, 'nodeSelector', 'Node selector', {});
  rec.block(bs, `${tpl}/spec/tolerations`, 'tolerations', 'Tolerations', []);
  rec.scalar(bs, '/spec/activeDeadlineSeconds', 'migration.activeDeadlineSeconds', 'Seconds before the migration Job is failed');
  rec.scalar(bs, '/spec/backoffLimit', 'migration.backoffLimit', 'Retries of the migration Job');
  rec.scalar(bs, '/spec/ttlSecondsAfterFinished', 'migration.ttlSecondsAfterFinished', 'Seconds a finished migration Job is kept');
  recordMetadata(ctx, bs, MIGRATION_SUFFIX);
  rec.expr(bs, `${tpl}/metadata/labels/app.kubernetes.io~1instance`, '.Release.Name');

  const pod: Record<string, unknown> = {
    restartPolicy: 'Never',
    serviceAccountName: m.serviceAccount.create ? saCopy : m.serviceAccount.name,
    automountServiceAccountToken: m.serviceAccount.automountToken,
    securityContext: portlessPodSecurityContext(m),
    containers: [container],
    ...(volumes.length ? { volumes } : {}),
    ...(m.image.pullSecrets.length ? { imagePullSecrets: m.image.pullSecrets.map((name) => ({ name })) } : {}),
    ...(Object.keys(m.pod.nodeSelector).length ? { nodeSelector: m.pod.nodeSelector } : {}),
    ...(m.pod.tolerations.length ? { tolerations: m.pod.tolerations } : {}),
  };
  const job = new ApiObject(scope, 'migration-job', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: metadata(m, MIGRATION_SUFFIX, { ...helmHook(0), ...argoHook(0, m.syncWaves) }),
    spec: {
      activeDeadlineSeconds: mig.activeDeadlineSeconds,
      backoffLimit: mig.backoffLimit,
      ttlSecondsAfterFinished: mig.ttlSecondsAfterFinished,
      template: { metadata: { labels: migrationPodLabels(m) }, spec: pod },
    },
  });
  annotateExemptions(job, [
    ...idExemptions(m),
    { checker: 'polaris', check: 'metadataAndInstanceMismatched', reason: 'the migration Job is named after the release plus "-migrate", so it cannot clash with the app\'s objects' },
    ...(m.networkPolicy.enabled ? [{ checker: 'polaris' as const, check: 'missingNetworkPolicy', reason: 'nothing connects to the migration pods: their own NetworkPolicy ("-migrate") denies all ingress and allows the app\'s egress' }] : []),
  ]);
  rec.attach(job, bs.map((b) => (b.kind === 'expr' ? { ...b, expr: renameExpr(b.expr) } : b)));
  rec.toggle(job, enabled, 'migration-job.yaml');
}

/** The model the Job's container is rendered from: the app's, reading the hook copies, without ports, probes or host access. */
function migrationModel(m: ServiceModel): ServiceModel {
  const mig = m.migration!;
  return {
    ...m,
    fullname: childName(m.fullname, MIGRATION_SUFFIX),
    container: { ...m.container, name: MIGRATION_SUFFIX, command: mig.command, args: mig.args, ports: [], health: undefined, preStopSleepSeconds: undefined },
    pod: { ...m.pod, hostPaths: [], hostNetwork: false },
    sidecars: undefined,
  };
}

/**
 * Rewrites name expressions of the release's objects (`<fullname>[-suffix]`) into those of the
 * hook copies (`<fullname>-migrate[-suffix]`); names that are already the copies' stay.
 */
function migrationExprRenamer(ctx: RenderContext): (expr: string) => string {
  const full = `include "${ctx.rec.chartName}.fullname" .`;
  const escaped = full.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const suffixed = new RegExp(`^printf "%s-(.+)" \\(${escaped}\\)$`);
  return (expr) => {
    if (expr === full) return nameExpr(ctx, MIGRATION_SUFFIX);
    const found = suffixed.exec(expr);
    if (!found || found[1] === MIGRATION_SUFFIX || found[1].startsWith(`${MIGRATION_SUFFIX}-`)) return expr;
    return nameExpr(ctx, `${MIGRATION_SUFFIX}-${found[1]}`);
  };
}

/** A hook copy of one of the release's objects, named `<fullname>-migrate[-suffix]`. */
function copyAsHook(scope: Construct, ctx: RenderContext, obj: ApiObject, renameExpr: (e: string) => string, enabled: Condition): void {
  const m = ctx.model;
  const rec = ctx.rec;
  const json = structuredClone(obj.toJson());
  const name: string = json.metadata.name;
  // Only the service's own objects (not those of an attached sidecar).
  if (json.metadata.labels?.['app.kubernetes.io/name'] !== m.name || json.metadata.labels?.['app.kubernetes.io/instance'] !== m.instance) return;
  const suffix = obj.kind === 'ServiceAccount' || name === m.fullname ? '' : name.startsWith(`${m.fullname}-`) ? name.slice(m.fullname.length + 1) : undefined;
  if (suffix === undefined) return;
  const copyName = childName(m.fullname, suffix ? `${MIGRATION_SUFFIX}-${suffix}` : MIGRATION_SUFFIX);
  json.metadata.name = copyName;
  json.metadata.annotations = { ...(json.metadata.annotations ?? {}), ...helmHook(-1), ...argoHook(-1, m.syncWaves) };
  const dropped = new Set<string>();
  if (obj.kind === 'ExternalSecret') json.spec.target.name = copyName;
  if (obj.kind === 'NetworkPolicy') {
    // Confines the migration pods like the app's pods; nothing connects to them.
    json.spec.podSelector = { matchLabels: { 'app.kubernetes.io/name': `${m.name}-migration`, 'app.kubernetes.io/instance': m.instance } };
    delete json.spec.ingress;
    dropped.add('/spec/podSelector/matchLabels').add('/spec/ingress');
  }
  const added: Binding[] = obj.kind === 'NetworkPolicy' ? [{ kind: 'expr', path: '/spec/podSelector/matchLabels/app.kubernetes.io~1instance', expr: '.Release.Name' }] : [];
  const bs: Binding[] = rec.bindingsOf(obj)
    .filter((b) => !dropped.has(b.path))
    .map((b) => {
      if (b.kind !== 'expr') return b;
      if (b.path === '/metadata/name') return { ...b, expr: nameExpr(ctx, suffix ? `${MIGRATION_SUFFIX}-${suffix}` : MIGRATION_SUFFIX) };
      return { ...b, expr: renameExpr(b.expr) };
    });
  const copy = new ApiObject(scope, `migration-${obj.node.id}`, json);
  rec.attach(copy, [...bs, ...added]);
  const file = rec.fileOf(obj) ?? `${obj.kind.toLowerCase()}.yaml`;
  rec.toggle(copy, rec.toggleOf(obj) ?? enabled, `migration-${file}`);
}
