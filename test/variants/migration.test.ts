/** Migrations: a Job run before the rollout as a Helm and Argo CD hook, with the app's image, env, secrets and security. */
import { describe, expect, it } from 'vitest';
import { restrictedViolations } from '../support/pss';
import { errorOf, find, lineOf, renderOne, schemaErrors, WEB } from './helpers';

const APP = `${WEB}config: { env: { LOG_LEVEL: INFO } }
secrets:
  - name: db
    external:
      store: aws-secrets-manager
      data: [{ secretKey: url, remoteKey: prod/db, property: url }]
    env: { DATABASE_URL: url }
  - name: tls
    existingSecret: web-tls
    mountPath: /etc/tls
serviceAccount: { annotations: { eks.amazonaws.com/role-arn: 'arn:aws:iam::1:role/web' } }
migration:
  command: [alembic, upgrade, head]
  activeDeadlineSeconds: 300
  backoffLimit: 1
  ttlSecondsAfterFinished: 600
`;

describe('migration Job', () => {
  const objects = renderOne(APP);
  const job = find(objects, 'Job');
  const deployment = find(objects, 'Deployment');
  const pod = job.spec.template.spec;
  const c = pod.containers[0];

  it('is a Helm pre-install/pre-upgrade hook and an Argo CD PreSync hook', () => {
    expect(job.metadata.name).toBe('web-migrate');
    expect(job.metadata.annotations).toMatchObject({
      'helm.sh/hook': 'pre-install,pre-upgrade',
      'helm.sh/hook-weight': '0',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
      'argocd.argoproj.io/hook': 'PreSync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
      'argocd.argoproj.io/sync-wave': '0',
    });
  });

  it('is bounded in time and retries, and cleaned up', () => {
    expect(job.spec).toMatchObject({ activeDeadlineSeconds: 300, backoffLimit: 1, ttlSecondsAfterFinished: 600 });
    expect(pod.restartPolicy).toBe('Never');
  });

  it('runs the command with the app\'s image, env, secrets and security', () => {
    const app = deployment.spec.template.spec.containers[0];
    expect(c.command).toEqual(['alembic', 'upgrade', 'head']);
    expect(c.image).toBe(app.image);
    expect(c.securityContext).toEqual(app.securityContext);
    expect(c.resources).toEqual(app.resources);
    expect(pod.securityContext).toEqual(deployment.spec.template.spec.securityContext);
    expect(c.env).toEqual([{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'web-migrate-db', key: 'url' } } }]);
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'web-migrate-env' } }]);
    expect(pod.volumes).toContainEqual({ name: 'secret-tls', secret: { secretName: 'web-tls' } });
    expect(c.ports).toBeUndefined();
    expect(c.livenessProbe).toBeUndefined();
    expect(restrictedViolations(pod, 'job')).toEqual([]);
  });

  it('reads hook copies of what the release creates, made just before it (hook weight -1)', () => {
    const copies = objects.filter((o) => o.metadata.annotations?.['helm.sh/hook-weight'] === '-1');
    expect(copies.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/web-migrate', 'ConfigMap/web-migrate-env', 'ExternalSecret/web-migrate-db', 'NetworkPolicy/web-migrate',
    ]);
    for (const o of copies) expect(o.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/sync-wave': '-1' });
    expect(find(objects, 'ExternalSecret', 'web-migrate-db').spec.target.name).toBe('web-migrate-db');
    expect(find(objects, 'ServiceAccount', 'web-migrate').metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::1:role/web');
    expect(pod.serviceAccountName).toBe('web-migrate');
  });

  it('is never selected by the app\'s Service, PDB or NetworkPolicy, and is confined by its own copy', () => {
    const labels = job.spec.template.metadata.labels;
    const selects = (sel: Record<string, string>) => Object.entries(sel).every(([k, v]) => labels[k] === v);
    expect(selects(find(objects, 'Service').spec.selector)).toBe(false);
    expect(selects(find(objects, 'PodDisruptionBudget').spec.selector.matchLabels)).toBe(false);
    expect(selects(find(objects, 'NetworkPolicy', 'web').spec.podSelector.matchLabels)).toBe(false);
    const own = find(objects, 'NetworkPolicy', 'web-migrate');
    expect(selects(own.spec.podSelector.matchLabels)).toBe(true);
    expect(own.spec.ingress).toBeUndefined();
    expect(own.spec.egress).toEqual(find(objects, 'NetworkPolicy', 'web').spec.egress);
  });

  it('validates strictly', () => {
    expect(schemaErrors(objects)).toEqual([]);
  });

  it('uses an existing ServiceAccount as is, and no sync waves when they are off', () => {
    const objs = renderOne(`${APP}serviceAccount: { create: false, name: shared }\ngitops: { syncWaves: false }\n`.replace(/^serviceAccount: \{ annotations.*\n/m, ''));
    const j = find(objs, 'Job');
    expect(j.spec.template.spec.serviceAccountName).toBe('shared');
    expect(objs.filter((o) => o.kind === 'ServiceAccount')).toEqual([]);
    expect(j.metadata.annotations['argocd.argoproj.io/sync-wave']).toBeUndefined();
    expect(objs.some((o) => o.metadata.annotations?.['argocd.argoproj.io/sync-wave'])).toBe(false);
  });

  it('is not allowed on a sidecar', () => {
    const spec = `${WEB}---\nname: side\nversion: "1"\nimage: { repository: a/b }\nworkload: { kind: Sidecar, sidecar: { host: web } }\nmigration: { command: [x] }\n`;
    expect(errorOf(spec)).toBe(`x.yaml:${lineOf(spec, 'migration:')}:12: migration: does not apply to a Sidecar: declare the migration on the host service`);
  });
});

describe('checker exemptions of the migration Job', () => {
  it('explain why its name differs from the instance and why its NetworkPolicy has no ingress rule', () => {
    const a = find(renderOne(APP), 'Job').metadata.annotations;
    expect(a['polaris.fairwinds.com/metadataAndInstanceMismatched-exempt']).toBe('true');
    expect(a['slipway.dev/exemption.metadataAndInstanceMismatched']).toMatch(/named after the release/);
    expect(a['polaris.fairwinds.com/missingNetworkPolicy-exempt']).toBe('true');
    expect(a['slipway.dev/exemption.missingNetworkPolicy']).toMatch(/denies all ingress/);
  });
});
