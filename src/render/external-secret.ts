import { createHash } from 'node:crypto';
import type { Construct } from 'constructs';
import { ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy, type ExternalSecretSpecData } from '../imports/external-secrets.io';
import type { SecretModel } from '../model/types';
import { metadata, nameExpr, recordMetadata, type RenderContext } from './context';
import { seg, type Binding } from './recorder';
import { secretNameOf } from './volumes';
import { goJson } from './go-json';
import { valuesRef } from './values-ref';

type ExternalSource = Extract<SecretModel['source'], { type: 'external' }>;

/** `data` of an ExternalSecret as written (also the default of `secrets.<name>.data`). */
function externalData(src: ExternalSource): ExternalSecretSpecData[] {
  return src.spec.data.map((d) => ({
    secretKey: d.secretKey,
    remoteRef: { key: d.remoteKey, ...(d.property !== undefined ? { property: d.property } : {}), ...(d.version !== undefined ? { version: d.version } : {}) },
  }));
}

const key = (s: SecretModel, field: string) => `secrets.${s.name}.${field}`;

/**
 * One ExternalSecret (external-secrets.io/v1) per `secrets[].external`: the operator fills the
 * Secret `<fullname>-<name>` from the named (Cluster)SecretStore, e.g. one backed by AWS Secrets
 * Manager. The workload references that Secret; no value appears in the output.
 * Helm: `secrets.<name>.store`, `.storeKind`, `.refreshInterval`, `.data`.
 */
export function renderExternalSecrets(scope: Construct, ctx: RenderContext): void {
  const m = ctx.model;
  const rec = ctx.rec;
  for (const s of m.secrets) {
    if (s.source.type !== 'external') continue;
    const src = s.source;
    const bs: Binding[] = [];
    recordMetadata(ctx, bs, s.name);
    rec.scalar(bs, '/spec/secretStoreRef/name', key(s, 'store'), `SecretStore / ClusterSecretStore that secret "${s.name}" is read from`);
    rec.scalar(bs, '/spec/secretStoreRef/kind', key(s, 'storeKind'), 'SecretStore or ClusterSecretStore');
    rec.scalar(bs, '/spec/refreshInterval', key(s, 'refreshInterval'), 'How often the store is re-read');
    rec.block(bs, '/spec/data', key(s, 'data'), `Keys of secret "${s.name}": [{secretKey, remoteRef: {key, property, version}}]; a change rolls the pods`);
    rec.expr(bs, '/spec/target/name', nameExpr(ctx, s.name));
    const obj = new ExternalSecret(scope, `external-secret-${s.name}`, {
      metadata: metadata(m, s.name),
      spec: {
        secretStoreRef: { name: src.spec.store, kind: src.spec.storeKind === 'SecretStore' ? ExternalSecretSpecSecretStoreRefKind.SECRET_STORE : ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE },
        refreshInterval: src.spec.refreshInterval,
        target: { name: secretNameOf(m, s), creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER },
        data: externalData(src),
      },
    });
    rec.attach(obj, bs);
    rec.fileFor(obj, `externalsecret-${s.name}.yaml`);
  }
}

/** sha256 of what an ExternalSecret reads (store, kind, keys, remote keys, properties, versions). */
export function externalSecretChecksum(s: SecretModel): string {
  if (s.source.type !== 'external') throw new Error(`internal: secret ${s.name} is not external`);
  const parts = { data: externalData(s.source), store: s.source.spec.store, storeKind: s.source.spec.storeKind };
  return createHash('sha256').update(goJson(parts)).digest('hex');
}

/**
 * `checksum/secret-<name>` pod annotations, one per ExternalSecret: sha256 of its store and
 * data (keys, remote keys, properties, versions) exactly as the chart computes it from its
 * values, so changing a version rolls the pods in the manifests and in the chart alike.
 * `path` is the JSON pointer of the pod template.
 */
export function externalSecretChecksums(ctx: RenderContext, bs: Binding[], path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of ctx.model.secrets) {
    if (s.source.type !== 'external') continue;
    const annotation = `checksum/secret-${s.name}`;
    out[annotation] = externalSecretChecksum(s);
    const dict = ['data', 'store', 'storeKind'].map((f) => `${JSON.stringify(f)} ${valuesRef(key(s, f))}`).join(' ');
    ctx.rec.expr(bs, `${path}/metadata/annotations/${seg(annotation)}`, `(dict ${dict} | toJson | sha256sum)`);
  }
  return out;
}
