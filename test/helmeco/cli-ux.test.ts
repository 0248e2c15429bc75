/** `--package` without helm in plain words, and the progress line (TTY only, `--quiet`). */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildOnce, exampleCounts, slipway, tempDir, CLI, EXAMPLES } from '../cli/helpers';

beforeAll(() => buildOnce(), 180_000);

describe('--package without a runnable helm', () => {
  it.each([
    ['a missing SLIPWAY_HELM', '/nonexistent/bin/helm', /SLIPWAY_HELM=\/nonexistent\/bin\/helm does not exist/],
    ['a SLIPWAY_HELM that is not executable', join(EXAMPLES, 'ghillie.yaml'), /is not executable/],
  ])('%s: exit 2, plain words, nothing written', (_n, helm, why) => {
    const out = join(tempDir('nohelm'), 'out');
    const r = slipway(['synth', join(EXAMPLES, 'ghillie.yaml'), '-o', out, '--package'], { env: { SLIPWAY_HELM: helm } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: --package needs Helm 3 or 4 to package the charts, and /);
    expect(r.stderr).toMatch(why);
    expect(r.stderr).toContain('or synthesize without --package');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});

/** Runs the CLI under a pseudo-terminal (util-linux `script`): what a user at a terminal sees. */
function inTerminal(args: string[]): string {
  const cmd = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  return r.stdout;
}

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!hasScript)('progress line', () => {
  it('on a terminal: counts rendered services and packaged charts, then erases itself', () => {
    const out = join(tempDir('progress'), 'out');
    const { services, charts } = exampleCounts();
    const text = inTerminal(['synth', EXAMPLES, '-o', out, '--package']);
    expect(text).toContain(`\r\x1b[2Kslipway: rendering services 0/${services}`);
    expect(text).toContain(`slipway: rendering services ${services}/${services}`);
    expect(text).toContain(`slipway: packaging charts ${charts}/${charts}`);
    // Erased before the summary: the summary starts on a clean line.
    expect(text).toMatch(new RegExp(`\\r\\x1b\\[2Ksynthesized ${services} services`));
  }, 60_000);

  it('--quiet: no progress line on a terminal', () => {
    const out = join(tempDir('progress-q'), 'out');
    const text = inTerminal(['synth', EXAMPLES, '-o', out, '--quiet']);
    expect(text).not.toContain('slipway: rendering');
    expect(text).toMatch(new RegExp(`^synthesized ${exampleCounts().services} services`));
  }, 60_000);

  it('not a terminal: stderr stays empty', () => {
    const r = slipway(['synth', EXAMPLES, '-o', join(tempDir('progress-pipe'), 'out')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  }, 60_000);
});
