/**
 * Locates the real checker tools the tests run (hadolint, buildx, actionlint, ...). They are
 * installed by `bash scripts/bootstrap-tools.sh` into a cache outside the repo:
 * `${SLIPWAY_TOOLS_DIR:-$HOME/.cache/slipway-tools}/bin/<name>`.
 */
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The tools cache's bin directory: `$SLIPWAY_TOOLS_DIR/bin`, default `$HOME/.cache/slipway-tools/bin`. */
export function toolsBinDir(): string {
  return join(process.env.SLIPWAY_TOOLS_DIR || join(homedir(), '.cache', 'slipway-tools'), 'bin');
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The path of a tool, or undefined: the tools cache first, then PATH. */
export function findTool(name: string): string | undefined {
  const dirs = [toolsBinDir(), ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  return dirs.map((d) => join(d, name)).find(executable);
}

/**
 * The path of a tool (see findTool); throws, telling how to install it, when it is missing.
 * Tests call this instead of skipping: a checker that is not there is a failure, not a pass.
 */
export function toolPath(name: string): string {
  const found = findTool(name);
  if (found) return found;
  throw new Error(
    `${name} not found in ${toolsBinDir()} nor on PATH: run \`bash scripts/bootstrap-tools.sh\` ` +
      '(it installs the pinned checker tools into that cache; SLIPWAY_TOOLS_DIR moves it)',
  );
}
