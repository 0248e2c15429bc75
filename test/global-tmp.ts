/**
 * vitest globalSetup of `npm test`: one temporary directory per run. Every test file's temporary
 * files go under it (TMPDIR, which os.tmpdir() and mktemp read; the test workers inherit it), and
 * it is removed when the run ends, so a run leaves nothing in /tmp (before this, one run left some
 * 9 000 entries there). SLIPWAY_KEEP_TMP=1 keeps it for a post-mortem; its path is printed then.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-tests-'));
  // Like /tmp itself (mkdtemp makes it 0700): tests that run a command as an unprivileged user
  // must reach their files here as they would in /tmp.
  chmodSync(dir, 0o1777);
  process.env.TMPDIR = dir;
  return () => {
    if (process.env.SLIPWAY_KEEP_TMP === '1') {
      console.log(`test/global-tmp: kept the run's temporary files in ${dir}`);
      return;
    }
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch (e) {
      console.warn(`test/global-tmp: could not remove ${dir}: ${(e as Error).message}`);
    }
  };
}
