/**
 * An exemption that follows from a values switch holds only while the switch does (real helm):
 * the queue-worker chart with `networkPolicy.enabled=false` renders no NetworkPolicy, so its
 * Deployment must not be exempted from Polaris' missingNetworkPolicy any more.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { helmBinaries, helmOk } from '../support/helm';

const CHART = join(__dirname, '..', '..', 'dist', 'queue-worker', 'chart', 'queue-worker');

function deploymentAnnotations(bin: Parameters<typeof helmOk>[0], set: string[]): Record<string, string> {
  const out = helmOk(bin, ['template', 'queue-worker', CHART, '--kube-version', '1.28.0', '--skip-tests', ...set.flatMap((s) => ['--set', s])]);
  const d = parseAllDocuments(out).map((x) => x.toJS()).find((o) => o?.kind === 'Deployment');
  return d.metadata.annotations ?? {};
}

describe('chart: exemptions follow their values switch (queue-worker example)', () => {
  for (const bin of helmBinaries()) {
    it(`drops missingNetworkPolicy with networkPolicy.enabled=false (${bin.name})`, () => {
      expect(deploymentAnnotations(bin, [])['polaris.fairwinds.com/missingNetworkPolicy-exempt']).toBe('true');
      const off = deploymentAnnotations(bin, ['networkPolicy.enabled=false']);
      expect(off['polaris.fairwinds.com/missingNetworkPolicy-exempt']).toBeUndefined();
      expect(off['slipway.dev/exemption.missingNetworkPolicy']).toBeUndefined();
      expect(off['polaris.fairwinds.com/readinessProbeMissing-exempt']).toBe('true');
    });
  }
});
