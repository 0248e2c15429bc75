import { statSync, readdirSync } from 'node:fs';
import { join, relative, isAbsolute, resolve } from 'node:path';
import { UsageError } from './output';

/** How spec directories are searched. */
export interface SpecSearch {
  /** Also take the spec files of subdirectories, at any depth. @default false */
  readonly recursive?: boolean;
  /** A directory never searched (the output directory, whose manifests are YAML too). @default none */
  readonly exclude?: string;
}

/** Spec file names: `*.yaml` and `*.yml`. */
const SPEC_FILE = /\.ya?ml$/;

/**
 * Expands the spec arguments of a command: a file is taken as is, a directory contributes its
 * `*.yaml` / `*.yml` files (sorted, like the cdk8s app), and with `recursive` those of its
 * subdirectories too (depth first, sorted; hidden directories and node_modules skipped). Missing
 * paths and directories without specs are usage errors; the same file named twice is read once.
 */
export function expandSpecArgs(args: readonly string[], search: SpecSearch = {}): string[] {
  if (!args.length) throw new UsageError('no spec files given: name spec files or directories');
  const excluded = search.exclude === undefined ? undefined : resolve(search.exclude);
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
    const found = specFilesUnder(arg, Boolean(search.recursive), excluded);
    if (!found.length) {
      const hint = !search.recursive && specFilesUnder(arg, true, excluded).length ? '; its subdirectories hold some: add --recursive' : '';
      throw new UsageError(`${arg}: directory holds no spec files (*.yaml, *.yml)${hint}`);
    }
    files.push(...found);
  }
  return [...new Set(files)];
}

/** The spec files of a directory (and of its subdirectories when `recursive`), in a stable order. */
function specFilesUnder(dir: string, recursive: boolean, excluded: string | undefined): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (!e.isDirectory()) {
      if (SPEC_FILE.test(e.name)) out.push(path);
    } else if (recursive && !e.name.startsWith('.') && e.name !== 'node_modules' && resolve(path) !== excluded) {
      out.push(...specFilesUnder(path, true, excluded));
    }
  }
  return out;
}

/** A path as shown to the user: relative to the working directory when inside it. */
export function display(path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
