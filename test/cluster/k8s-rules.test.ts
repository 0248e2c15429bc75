/**
 * "Valid means accepted", as a property: random specs (seeded, names/labels/ports/hosts/keys near
 * Kubernetes' limits) that `validate` accepts are synthesized, and every object of each is applied
 * to the real API server with a server-side dry-run and fieldValidation=Strict, into a namespace
 * enforcing Pod Security "restricted". Not one object may be refused, and no warning may be printed.
 * The generator sometimes steps just past a limit on purpose: those specs must be refused by
 * `validate` (and are not applied); any it accepts must be accepted by the server.
 * SLIPWAY_FUZZ_CASES sets the number of specs (default 24), SLIPWAY_FUZZ_SEED the seed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadSpecText } from '../../src/spec/load';
import { renderManifestObjects } from '../../src/app/manifests';
import { SpecGen, randomSpec } from '../support/random-spec';
import { cluster, kube, nsName } from './support/env';

const CASES = Number(process.env.SLIPWAY_FUZZ_CASES ?? 24);
const SEED = Number(process.env.SLIPWAY_FUZZ_SEED ?? 1);
const ssaDryRun = (ns: string) => ['apply', '-n', ns, '--server-side', '--field-manager=slipway-k8s-rules', '--validate=strict', '--dry-run=server', '-f', '-'];

interface Case { readonly yaml: string; readonly objects?: any[]; readonly refused?: string }

function generate(): Case[] {
  const g = new SpecGen(SEED);
  return Array.from({ length: CASES }, () => {
    const yaml = stringify(randomSpec(g), { lineWidth: 0 });
    try {
      const objects = loadSpecText(yaml, 'random.yaml').flatMap((s) => renderManifestObjects(s.model));
      return { yaml, objects };
    } catch (e) {
      return { yaml, refused: (e as Error).message };
    }
  });
}

describe(`valid means accepted: random specs on ${cluster.local ? 'the local control plane' : 'an external cluster'} (seed ${SEED}, ${CASES} specs)`, () => {
  const cases = generate();
  const ns = nsName('k8s-rules', 'p');
  beforeAll(async () => {
    await kube.installCrds();
    await kube.createNamespace(ns, 'restricted');
  });
  afterAll(async () => { await kube.deleteNamespace(ns); });

  it('the generator mostly makes specs that validate accepts (else the property proves little)', () => {
    const refused = cases.filter((c) => c.refused);
    if (refused.length) console.log(`validate refused ${refused.length} of ${cases.length}:\n${refused.map((c) => c.refused!.split('\n')[0]).join('\n')}`);
    expect(cases.length - refused.length).toBeGreaterThanOrEqual(Math.ceil(cases.length * 0.5));
  });

  cases.forEach((c, i) => {
    it.skipIf(!c.objects)(`spec ${i}: every object is accepted by a strict server-side dry-run`, async () => {
      const objects = c.objects!;
      const r = await kube.kubectl(ssaDryRun(ns), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
      const context = `spec:\n${c.yaml}\nkubectl: ${r.stderr}`;
      expect(r.code, context).toBe(0);
      expect(r.stderr.split('\n').filter((l) => /warning/i.test(l)), context).toEqual([]);
      const applied = r.stdout.trim().split('\n').filter((l) => l.includes('serverside-applied (server dry run)'));
      expect(applied, `${context}\n${r.stdout}`).toHaveLength(objects.length);
    });
  });
});
