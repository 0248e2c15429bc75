/**
 * A native sidecar needs Kubernetes >= 1.29 (or 1.28 with the SidecarContainers gate): the chart
 * README says so, and NOTES.txt warns on an older cluster — rendered by real helm. helm template
 * does not print NOTES.txt, so the test renders a copy of it through `tpl` in a ConfigMap.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { helmBinaries, helmOk } from '../support/helm';

const CHART = join(__dirname, '..', '..', 'dist', 'shipyard', 'chart', 'shipyard');

describe('install-time requirements of a native sidecar (shipyard example)', () => {
  it('are stated in the chart README', () => {
    expect(readFileSync(join(CHART, 'README.md'), 'utf8')).toMatch(/native sidecar `gophership` needs Kubernetes >= 1\.29, or 1\.28 with the `SidecarContainers` feature gate/);
  });

  for (const bin of helmBinaries()) {
    it(`are warned about in NOTES.txt on Kubernetes 1.28, not on 1.29 (${bin.name})`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'slipway-notes-'));
      try {
        cpSync(CHART, join(dir, 'shipyard'), { recursive: true });
        // NOTES.txt as a plain file, rendered with `tpl` into a ConfigMap that helm template prints.
        renameSync(join(dir, 'shipyard', 'templates', 'NOTES.txt'), join(dir, 'shipyard', 'notes.txt'));
        writeFileSync(join(dir, 'shipyard', 'templates', 'notes-check.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: notes }\ndata:\n  notes: {{ tpl (.Files.Get "notes.txt") . | toJson }}\n');
        const notes = (v: string): string => parse(helmOk(bin, ['template', 'shipyard', join(dir, 'shipyard'), '--kube-version', v, '--show-only', 'templates/notes-check.yaml'])).data.notes;
        expect(notes('1.28.0')).toMatch(/WARNING: native sidecar gophership needs Kubernetes >= 1\.29 \(this cluster: v1\.28\.0\)/);
        expect(notes('1.29.0')).not.toMatch(/WARNING/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
