/**
 * Reading the files a spec names in `config.filesFrom`: through the confined reader only (see
 * spec/confined-file.ts), relative to the spec file's directory, inside the input root.
 */
import { isAbsolute, resolve } from 'node:path';
import { readConfinedFile } from '../spec/confined-file';
import { LIMITS } from '../spec/limits';

/** Where spec paths are resolved from and confined to. */
export interface InputPlace {
  /** The spec file's directory: paths are relative to it. @default the working directory */
  readonly baseDir?: string;
  /** The directory every file must be inside. @default `baseDir` */
  readonly inputRoot?: string;
}

/** A config file's text, or what is wrong with the path (a message for `config.filesFrom.<key>`). */
export function readConfigFile(file: string, place: InputPlace): { text: string } | { message: string } {
  const shown = JSON.stringify(file);
  if (file === '') return { message: 'is empty: name a file relative to the spec file\'s directory' };
  if (isAbsolute(file)) return { message: `${shown} is an absolute path: name a file relative to the spec file's directory (and inside it)` };
  const baseDir = place.baseDir ?? process.cwd();
  const root = place.inputRoot ?? baseDir;
  const read = readConfinedFile(resolve(baseDir, file), {
    root,
    rootName: place.inputRoot === undefined ? 'the spec file\'s directory (name a wider one with --input-root)' : `the input root ${place.inputRoot}`,
    maxBytes: LIMITS.configFileBytes,
    kind: 'config file',
    tooLargeHint: 'mount large data from a volume or bake it into the image instead',
  });
  return 'text' in read ? read : { message: `${shown} ${read.problem}` };
}
