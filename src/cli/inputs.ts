import { statSync, readdirSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { UsageError } from './output';

/**
 * Expands the spec arguments of a command: a file is taken as is, a directory contributes its
 * `*.yaml` / `*.yml` files (not recursive, sorted, like the cdk8s app). Missing paths and
 * directories without specs are usage errors; the same file named twice is read once.
 */
export function expandSpecArgs(args: readonly string[]): string[] {
  if (!args.length) throw new UsageError('no spec files given: name spec files or directories');
  const files: string[] = [];
  for (const arg of args) {
    let isDir: boolean;
    try {
      isDir = statSync(arg).isDirectory();
    } catch (e) {
      throw new UsageError(`${arg}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
    }
    if (!isDir) {
      files.push(arg);
      continue;
    }
    const found = readdirSync(arg, { withFileTypes: true }).filter((d) => !d.isDirectory() && /\.ya?ml$/.test(d.name)).map((d) => d.name).sort();
    if (!found.length) throw new UsageError(`${arg}: directory holds no spec files (*.yaml, *.yml)`);
    files.push(...found.map((f) => join(arg, f)));
  }
  return [...new Set(files)];
}

/** A path as shown to the user: relative to the working directory when inside it. */
export function display(path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
