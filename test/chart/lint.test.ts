/**
 * `helm lint --strict` (warnings fail; templates rendered with missing keys as errors) passes with
 * the default values and with a matrix of values files: every toggle on, every toggle off, and the
 * dev/prod overlays shipped in the chart. With every real helm binary.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { helm, helmBinaries } from '../support/helm';
import { linkedExamples, setAll, toggleKeys, writeChart, writeValues } from './fixture';

const services = linkedExamples();

describe.each(helmBinaries())('helm lint --strict ($name)', (bin) => {
  for (const svc of services) {
    const dir = writeChart(svc.model);
    const toggles = toggleKeys(parse(readFileSync(join(dir, 'values.yaml'), 'utf8')));
    const matrix: [string, string[]][] = [
      ['default values', []],
      ['every toggle on', ['-f', writeValues('all-on.yaml', setAll(toggles, true))]],
      ['every toggle off', ['-f', writeValues('all-off.yaml', setAll(toggles, false))]],
      ...['values-dev.yaml', 'values-prod.yaml'].filter((f) => existsSync(join(dir, f))).map((f): [string, string[]] => [f, ['-f', join(dir, f)]]),
    ];
    it.each(matrix)(`${svc.model.fullname}: %s`, (_name, args) => {
      // A Job/CronJob has no Service, Ingress, HPA or PDB to switch: fewer toggles.
      if (svc.model.workload.kind !== 'Sidecar') expect(toggles.length).toBeGreaterThan(['Job', 'CronJob'].includes(svc.model.workload.kind) ? 1 : 3);
      const r = helm(bin, ['lint', '--strict', dir, ...args]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    });
  }
});
