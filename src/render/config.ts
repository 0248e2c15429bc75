import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ServiceModel } from '../model/types';
import { childName } from '../model/naming';
import { metadata, recordMetadata, type RenderContext } from './context';
import type { Binding } from './recorder';
import { goJson } from './go-json';

/** Name of the ConfigMap holding env vars. */
export function configEnvName(m: ServiceModel): string {
  return childName(m.fullname, 'env');
}

/**
 * sha256 of the config as the chart's `<chart>.configChecksum` computes it
 * (`dict "env" .Values.config.env "files" .Values.config.files | toJson | sha256sum`),
 * so a config change rolls the pods in both the manifests and the chart.
 */
export function configChecksum(m: ServiceModel): string {
  return createHash('sha256').update(goJson({ env: m.config.env, files: m.config.files })).digest('hex');
}

/** The env ConfigMap (envFrom) and the files ConfigMap (mounted), each only when it has entries. */
export function renderConfig(scope: Construct, ctx: RenderContext): void {
  const m = ctx.model;
  ctx.rec.declare('config.env', 'Non-secret env vars (ConfigMap, loaded with envFrom)', { ...m.config.env });
  ctx.rec.declare('config.files', `Config files mounted at ${m.config.mountPath}`, { ...m.config.files });
  const maps = [['env', m.config.env], ['files', m.config.files]] as const;
  for (const [suffix, data] of maps) {
    if (!Object.keys(data).length) continue;
    const bs: Binding[] = [];
    const obj = new ApiObject(scope, `configmap-${suffix}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(m, suffix), data: { ...data } });
    recordMetadata(ctx, bs, suffix);
    ctx.rec.block(bs, '/data', `config.${suffix}`, '');
    ctx.rec.attach(obj, bs);
    ctx.rec.fileFor(obj, `configmap-${suffix}.yaml`);
  }
}
