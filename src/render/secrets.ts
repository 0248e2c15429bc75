import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { metadata, recordMetadata, type RenderContext } from './context';
import type { Binding } from './recorder';

/** Annotation on a Secret whose values the user opted to write in plain text. */
export const PLAINTEXT_ANNOTATION = 'slipway.dev/plaintext-secret';

/** The chart values key holding the inline values of secret `name`. */
export function inlineSecretValuesKey(name: string): string {
  return `secrets.${name}.values`;
}

/**
 * Secrets the service owns: an inline Secret only where the spec opted in per secret (and it is
 * annotated as such). Existing Secrets are only referenced; ExternalSecrets are rendered by
 * `renderExternalSecrets`.
 */
export function renderInlineSecrets(scope: Construct, ctx: RenderContext): void {
  const m = ctx.model;
  for (const s of m.secrets) {
    if (s.source.type !== 'inline') continue;
    const bs: Binding[] = [];
    recordMetadata(ctx, bs, s.name);
    ctx.rec.block(bs, '/stringData', inlineSecretValuesKey(s.name), `Inline values of secret "${s.name}" (plain text, opted in)`);
    const obj = new ApiObject(scope, `secret-${s.name}`, {
      apiVersion: 'v1', kind: 'Secret',
      metadata: metadata(m, s.name, { [PLAINTEXT_ANNOTATION]: 'opted-in by spec secrets[].inline.allowPlaintextInOutput' }),
      type: 'Opaque',
      stringData: { ...s.source.values },
    });
    ctx.rec.attach(obj, bs);
    ctx.rec.fileFor(obj, `secret-${s.name}.yaml`);
  }
}
