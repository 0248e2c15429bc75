import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, copyFileSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOnce, copyExamples, ROOT, snapshot, tempDir, readTree } from './helpers';

/** Runs the README's main command (`npx cdk8s synth`, the cdk8s CLI running cdk8s.yaml's app) in `repo`. */
function cdk8sSynth(repo: string) {
  const env = { ...process.env, CDK8S_CHECK_UPGRADE: 'false', SLIPWAY_FORCE_REPLACE: undefined, CDK8S_OUTDIR: undefined };
  return spawnSync(join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth'], { cwd: repo, env: env as NodeJS.ProcessEnv, encoding: 'utf8' });
}

describe('the README main command (`npx cdk8s synth`) is atomic', () => {
  beforeAll(() => buildOnce(), 180_000);

  it('a bad spec added to examples/: non-zero exit, a located error, every committed dist/ file unchanged', () => {
    // A copy of the repository's shape: cdk8s.yaml, the compiled app, the examples, the committed dist/.
    const repo = tempDir('mainjob');
    copyFileSync(join(ROOT, 'cdk8s.yaml'), join(repo, 'cdk8s.yaml'));
    symlinkSync(join(ROOT, 'lib'), join(repo, 'lib'));
    symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'));
    cpSync(copyExamples(), join(repo, 'examples'), { recursive: true });
    cpSync(join(ROOT, 'dist'), join(repo, 'dist'), { recursive: true });
    const committed = readTree(join(ROOT, 'dist'));
    const before = snapshot(join(repo, 'dist'));

    writeFileSync(join(repo, 'examples', 'zz-bad.yaml'), 'name: bad\nversion: 1.0.0\nimage: { repository: acme/bad }\nreplicas: many\n');
    const r = cdk8sSynth(repo);
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/zz-bad\.yaml:4:\d+: replicas: /);
    expect(snapshot(join(repo, 'dist'))).toEqual(before);
    expect(readTree(join(repo, 'dist'))).toEqual(committed);
    expect(existsSync(join(repo, 'dist', '.slipway-owned'))).toBe(true);
  }, 120_000);
});
