/**
 * The real static checkers on every example's output, plain manifests AND `helm template` (helm 3
 * and helm 4) of its chart: kubeconform (strict, Kubernetes 1.28 + the CRDs), kube-linter,
 * kube-score and Polaris, plus `helm lint --strict`. Zero findings are allowed, except exemptions
 * Slipway itself annotates in the output with a reason (see support/checkers.ts for the annotations)
 * and the few checker settings in test/cluster/checkers/ (explained in docs/cluster-tests.md).
 * Needs no cluster, but runs with the cluster suite because it needs the same tool cache.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exemptionsIn, format, kubeLinter, kubeScore, kubeconform, polaris, unexplained, type Finding } from './support/checkers';
import { chartDirOf, discoverExamples, entriesWithoutManifests, parseObjects, type Example, type K8sObject } from './support/examples';
import { explain, run } from './support/run';

const examples = discoverExamples();
const HELMS = ['helm3', 'helm4'] as const;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-checkers-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Source { label: string; file: string; objects: K8sObject[] }

const CHECKERS: { name: string; run: (s: Source) => Promise<Finding[]> }[] = [
  { name: 'kubeconform -strict (Kubernetes 1.28 + CRDs)', run: (s) => kubeconform(s.file, s.objects.length) },
  { name: 'kube-linter', run: (s) => kubeLinter(s.file) },
  { name: 'kube-score', run: (s) => kubeScore(s.file) },
  { name: 'polaris audit', run: (s) => polaris(s.file) },
];

function chartOrFail(ex: Example): string {
  const chart = chartDirOf(ex);
  if (!chart) throw new Error(`no chart in dist/${ex.fullname}/chart/<name>/ (run \`npx cdk8s synth\`)`);
  return chart;
}

describe('static checkers', () => {
  it('finds the examples in dist/', () => {
    expect(examples.map((e) => e.fullname), 'no dist/<fullname>/manifests/<fullname>.k8s.yaml: run `npx cdk8s synth`').not.toEqual([]);
    console.log(`examples: ${examples.map((e) => e.fullname).join(', ')}`);
    const skipped = entriesWithoutManifests();
    if (skipped.length) console.log(`dist/ entries without manifests (not deployable on their own): ${skipped.join(', ')}`);
  });

  for (const ex of examples) {
    // Every check of an example is independent: they run side by side (vitest's maxConcurrency).
    describe.concurrent(ex.fullname, () => {
      const sources: Source[] = [{ label: 'manifests', file: ex.manifestFile, objects: ex.objects }];

      // `helm template` with default values, release name = the service's instance, as Argo CD or
      // `helm install` would render it. The best-practice checkers get what an install deploys
      // (--skip-tests: the `helm test` pods are one-shot probes, not workloads); kubeconform also
      // gets the chart tests.
      let withTests: Source | undefined;
      beforeAll(async () => {
        const chart = chartDirOf(ex);
        if (!chart) return;
        for (const helm of HELMS) {
          for (const tests of helm === 'helm4' ? [false, true] : [false]) {
            const args = ['template', ex.instance, chart, '--kube-version', '1.28.0', ...(tests ? [] : ['--skip-tests'])];
            const r = await run(helm, args);
            if (r.code !== 0) continue; // reported by the "renders" test below
            const file = path.join(tmp, `${ex.fullname}.${helm}-template${tests ? '-tests' : ''}.yaml`);
            fs.writeFileSync(file, r.stdout);
            const source = { label: `${helm} template${tests ? ' with chart tests' : ''}`, file, objects: parseObjects(r.stdout) };
            if (tests) withTests = source;
            else sources.push(source);
          }
        }
      });

      it(`${ex.fullname} › kubeconform -strict on helm4 template including the chart tests: no findings`, async () => {
        if (!withTests) throw new Error(`helm4 template of ${ex.fullname} with chart tests is not available`);
        expect((await kubeconform(withTests.file, withTests.objects.length)).map(format)).toEqual([]);
      });

      for (const helm of HELMS) {
        it(`${ex.fullname} › ${helm} lint --strict`, async () => {
          const args = ['lint', '--strict', '--kube-version', '1.28.0', chartOrFail(ex)];
          const r = await run(helm, args);
          expect(r.code, explain(helm, args, r)).toBe(0);
          expect(r.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
        });
        it(`${ex.fullname} › ${helm} template renders`, async () => {
          const args = ['template', ex.instance, chartOrFail(ex), '--kube-version', '1.28.0'];
          const r = await run(helm, args);
          expect(r.code, explain(helm, args, r)).toBe(0);
          expect(sources.map((s) => s.label)).toContain(`${helm} template`);
        });
      }

      for (const label of ['manifests', ...HELMS.map((h) => `${h} template`)]) {
        for (const checker of CHECKERS) {
          it(`${ex.fullname} › ${checker.name} on ${label}: no findings`, async () => {
            const source = sources.find((s) => s.label === label);
            if (!source) throw new Error(`${label} of ${ex.fullname} is not available (see the "template renders" test)`);
            const findings = await checker.run(source);
            expect(findings.map(format), `${checker.name} on ${source.file}`).toEqual([]);
          });
        }
        it(`${ex.fullname} › every checker exemption in ${label} carries a reason`, () => {
          const source = sources.find((s) => s.label === label);
          if (!source) throw new Error(`${label} of ${ex.fullname} is not available`);
          const all = exemptionsIn(source.objects);
          if (all.length) console.log(`${ex.fullname} (${label}) exemptions:\n${all.map((e) => `  ${e.object} ${e.checker}/${e.check}: ${e.reason}`).join('\n')}`);
          expect(unexplained(all)).toEqual([]);
        });
      }
    });
  }
});
