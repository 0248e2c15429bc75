import { statSync } from 'node:fs';
import { UsageError } from './output';

/** The `--input-root` option of synth, validate and diff. */
export interface InputRootOption {
  /**
   * Directory every file a spec names must be inside (and the spec files too).
   * @default $SLIPWAY_INPUT_ROOT, else each spec file's own directory
   */
  readonly inputRoot?: string;
}

/** The input root to use: the option, else $SLIPWAY_INPUT_ROOT; a usage error when it is not a directory. */
export function inputRootOf(opts: InputRootOption): string | undefined {
  const root = opts.inputRoot ?? (process.env.SLIPWAY_INPUT_ROOT || undefined);
  if (root === undefined) return undefined;
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new UsageError(`--input-root ${root}: not a directory`);
  return root;
}
