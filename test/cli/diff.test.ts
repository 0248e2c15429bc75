/** `slipway diff`: no change right after synth, the change after a spec edit, exit codes. */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { STATE_FILE } from '../../src/cli/synth-state';
import { join } from 'node:path';
import { buildOnce, slipway, tempDir, copyExamples, exampleFiles, snapshot, BASE } from './helpers';

beforeAll(() => buildOnce(), 180_000);

describe('slipway diff', () => {
  it('reports no change right after a synth (exit 0)', () => {
    const specs = copyExamples();
    const out = join(tempDir('diff'), 'dist');
    expect(slipway(['synth', specs, '-o', out]).status).toBe(0);
    const r = slipway(['diff', specs, '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/: no changes\n$/);
  });

  it('reports a spec edit as changed files with a unified diff (exit 1), and changes nothing', () => {
    const specs = copyExamples();
    const out = join(tempDir('diff-edit'), 'dist');
    expect(slipway(['synth', specs, '-o', out]).status).toBe(0);
    const file = exampleFiles(specs).find((f) => /^version: /m.test(readFileSync(f, 'utf8')))!;
    const text = readFileSync(file, 'utf8');
    const version = /^version: (.+)$/m.exec(text)![1];
    writeFileSync(file, text.replace(/^version: .+$/m, 'version: 9.9.9'));
    const before = snapshot(out);
    const r = slipway(['diff', specs, '-o', out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^changed: \S+\/manifests\/\S+\.k8s\.yaml$/m);
    expect(r.stdout).toMatch(/^--- a\/\S+\/manifests\/\S+\.k8s\.yaml$/m);
    expect(r.stdout).toMatch(/^\+\+\+ b\/\S+\/manifests\/\S+\.k8s\.yaml$/m);
    expect(r.stdout).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@/m);
    expect(r.stdout).toMatch(new RegExp(`^-.*app\\.kubernetes\\.io/version: "?${version.replace(/[."]/g, '\\$&')}"?$`, 'm'));
    expect(r.stdout).toMatch(/^\+.*app\.kubernetes\.io\/version: "?9\.9\.9"?$/m);
    expect(r.stdout).toMatch(/\d+ files? changed, \d+ added, 0 removed\n$/);
    expect(snapshot(out)).toEqual(before);
    // --name-only lists the files without the diffs.
    const names = slipway(['diff', specs, '-o', out, '--name-only']);
    expect(names.status).toBe(1);
    expect(names.stdout).not.toMatch(/^@@/m);
    // After a synth, nothing is left to change.
    expect(slipway(['synth', specs, '-o', out]).status).toBe(0);
    expect(slipway(['diff', specs, '-o', out]).status).toBe(0);
  });

  it('reports a hand edit of the output (a synth would undo it), though the specs did not change', () => {
    const specs = tempDir('diff-hand');
    writeFileSync(join(specs, 'web.yaml'), BASE);
    writeFileSync(join(specs, 'api.yaml'), BASE.replace('name: web', 'name: api'));
    const out = join(tempDir('diff-hand-out'), 'dist');
    expect(slipway(['synth', specs, '-o', out]).status).toBe(0);
    const file = join(out, 'web', 'manifests', 'web.k8s.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/replicas: 2/, 'replicas: 7'));
    const r = slipway(['diff', specs, '-o', out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^changed: web\/manifests\/web\.k8s\.yaml$/m);
    expect(r.stdout).toMatch(/^-\s+replicas: 7$/m);
    expect(r.stdout).toMatch(/^\+\s+replicas: 2$/m);
    expect(r.stdout).toMatch(/1 file changed, 0 added, 0 removed\n$/);
    // The state file says which services are up to date; without it diff renders all, same answer.
    const withoutState = join(tempDir('diff-hand-copy'), 'dist');
    expect(slipway(['synth', specs, '-o', withoutState]).status).toBe(0);
    writeFileSync(join(withoutState, 'web', 'manifests', 'web.k8s.yaml'), readFileSync(file, 'utf8'));
    rmSync(join(withoutState, STATE_FILE));
    expect(slipway(['diff', specs, '-o', withoutState]).stdout.replaceAll(withoutState, out)).toBe(r.stdout);
  });

  it('reports added and removed services', () => {
    const specs = tempDir('diff-ar');
    writeFileSync(join(specs, 'web.yaml'), BASE);
    const out = join(tempDir('diff-ar-out'), 'dist');
    expect(slipway(['synth', specs, '-o', out]).status).toBe(0);
    renameSync(join(specs, 'web.yaml'), join(specs, 'api.yaml'));
    writeFileSync(join(specs, 'api.yaml'), BASE.replace('name: web', 'name: api'));
    const r = slipway(['diff', specs, '-o', out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^added: +api\/manifests\/api\.k8s\.yaml$/m);
    expect(r.stdout).toMatch(/^removed: web\/manifests\/web\.k8s\.yaml$/m);
  });

  it('treats a missing output directory as empty', () => {
    const specs = tempDir('diff-none');
    writeFileSync(join(specs, 'web.yaml'), BASE);
    const r = slipway(['diff', specs, '-o', join(specs, 'nope')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^added: +web\/manifests\/web\.k8s\.yaml$/m);
  });

  it('exits 2 on a bad spec, with the error located', () => {
    const specs = tempDir('diff-bad');
    writeFileSync(join(specs, 'web.yaml'), `${BASE}replicas: three\n`);
    const r = slipway(['diff', specs, '-o', join(specs, 'out')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/web\.yaml:5:11: replicas: must be integer/);
    expect(r.stdout).toBe('');
  });
});
