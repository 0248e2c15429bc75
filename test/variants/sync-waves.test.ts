/** Argo CD sync waves: what pods read is applied (and healthy) before the workloads. */
import { describe, expect, it } from 'vitest';
import { renderOne, WEB } from './helpers';

const SPEC = `${WEB}config: { env: { A: b } }
secrets:
  - { name: ext, external: { store: s, data: [{ secretKey: k, remoteKey: r }] }, env: { K: k } }
  - { name: inl, inline: { allowPlaintextInOutput: true, values: { k: v } }, env: { K2: k } }
`;

describe('sync waves', () => {
  it('put ServiceAccount, ConfigMap, Secret and ExternalSecret in wave -1, the rest in the default wave 0', () => {
    const waves = Object.fromEntries(renderOne(SPEC).map((o) => [`${o.kind}/${o.metadata.name}`, o.metadata.annotations?.['argocd.argoproj.io/sync-wave']]));
    expect(waves).toEqual({
      'ServiceAccount/web': '-1', 'ConfigMap/web-env': '-1', 'Secret/web-inl': '-1', 'ExternalSecret/web-ext': '-1',
      'Deployment/web': undefined, 'Service/web': undefined, 'PodDisruptionBudget/web': undefined, 'NetworkPolicy/web': undefined,
    });
  });

  it('are off with gitops.syncWaves: false', () => {
    expect(renderOne(`${SPEC}gitops: { syncWaves: false }\n`).some((o) => o.metadata.annotations?.['argocd.argoproj.io/sync-wave'])).toBe(false);
  });
});
