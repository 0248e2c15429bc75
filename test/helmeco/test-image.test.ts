/** The `helm test` Pod's image is a chart value (`tests.image`), checked by values.schema.json. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderChart } from '../../src/chart/render-chart';
import { writeFiles } from '../../src/chart/write';
import { TEST_IMAGE } from '../../src/chart/chart-tests';
import { exampleServices } from '../support/examples';
import { helm, helmBinaries } from '../support/helm';
import { parseStream } from '../chart/fixture';

const ghillie = exampleServices().find((s) => s.model.name === 'ghillie')!.model;
const root = mkdtempSync(join(tmpdir(), 'slipway-test-image-'));
const files = renderChart(ghillie);
writeFiles(root, files);
const dir = join(root, 'ghillie');

function testPod(bin: (typeof helmBinaries extends () => (infer B)[] ? B : never), args: string[] = []) {
  const r = helm(bin, ['template', 'ghillie', dir, '--kube-version', '1.28.0', '--show-only', 'templates/tests/test-connection.yaml', ...args]);
  return { ...r, pod: r.status === 0 ? parseStream(r.stdout)[0] : undefined };
}

describe('tests.image', () => {
  it('is a documented values key with the pinned default, only in charts with a test Pod', () => {
    expect(parse(files['ghillie/values.yaml']).tests).toEqual({ image: TEST_IMAGE });
    expect(files['ghillie/values.yaml']).toContain('## @param tests.image Image of the helm test Pod');
    for (const s of exampleServices().filter((x) => !x.model.sidecarOf)) {
      const f = renderChart(s.model);
      const hasTest = Object.keys(f).some((k) => k.includes('/templates/tests/'));
      expect('tests' in parse(f[`${s.model.name}/values.yaml`]), s.model.name).toBe(hasTest);
    }
  });

  it.each(helmBinaries().map((b) => [b.name, b] as const))('renders the default and an override; the schema refuses a bad one (%s)', (_n, bin) => {
    expect(testPod(bin).pod.spec.containers[0].image).toBe(TEST_IMAGE);
    expect(testPod(bin, ['--set', 'tests.image=registry.example/tools/busybox:1.36.1']).pod.spec.containers[0].image).toBe('registry.example/tools/busybox:1.36.1');
    const bad = testPod(bin, ['--set-string', 'tests.image=busy box']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/tests\.image|tests\/image/);
  });
});
