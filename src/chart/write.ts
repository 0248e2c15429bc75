/** Writes rendered chart files to disk (for `helm` commands and the CLI). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Writes `files` (relative path -> content) under `root`; returns `root`. */
export function writeFiles(root: string, files: Readonly<Record<string, string>>): string {
  for (const [rel, content] of Object.entries(files)) {
    const full = join(root, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}
