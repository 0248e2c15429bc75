import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { metadata, recordMetadata, type RenderContext } from './context';
import type { Binding } from './recorder';

/** A dedicated ServiceAccount with token automount off (Helm: `serviceAccount.create`). */
export function renderServiceAccount(scope: Construct, ctx: RenderContext): void {
  const m = ctx.model;
  const sa = m.serviceAccount;
  ctx.rec.declare('serviceAccount.create', 'Create a dedicated ServiceAccount', sa.create);
  ctx.rec.declare('serviceAccount.name', 'ServiceAccount name (default: the fullname when created, else "default")', sa.name === m.fullname ? '' : sa.name);
  const bs: Binding[] = [];
  recordMetadata(ctx, bs);
  ctx.rec.expr(bs, '/metadata/name', `include "${ctx.rec.chartName}.serviceAccountName" .`);
  const md = { ...metadata(m), name: sa.name, annotations: ctx.rec.merge(bs, '/metadata/annotations', 'serviceAccount.annotations', 'ServiceAccount annotations (e.g. IRSA role)', { ...sa.annotations }, ctx.mode) };
  const obj = new ApiObject(scope, 'service-account', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: md, automountServiceAccountToken: sa.automountToken });
  ctx.rec.scalar(bs, '/automountServiceAccountToken', 'serviceAccount.automountToken', '');
  ctx.rec.attach(obj, bs);
  ctx.rec.toggle(obj, { key: 'serviceAccount.create' }, 'serviceaccount.yaml');
}
