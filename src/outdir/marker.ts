/**
 * The ownership marker `<outdir>/.slipway-owned`: every file Slipway wrote into the output
 * directory, one relative path (with `/`) per line, sorted. A directory that carries it, and holds
 * nothing it does not list, is Slipway's to replace; anything else is refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Name of the marker file in the output directory. */
export const MARKER = '.slipway-owned';

const HEADER = '# Written by slipway: the files it wrote here. A synth replaces only a directory that carries this list and holds nothing else.';

/**
 * Whether `rel` may be a path Slipway writes: relative, `/`-separated, no empty, `.` or `..`
 * component, no control characters (each line of the marker is one path).
 */
export function isSafeRelPath(rel: string): boolean {
  if (rel === '' || rel.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(rel)) return false;
  return rel.split('/').every((c) => c !== '' && c !== '.' && c !== '..');
}

/** The marker's text for these files (the marker itself is not listed). */
export function formatMarker(files: Iterable<string>): string {
  const list = [...new Set(files)].filter((f) => f !== MARKER).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const f of list) if (!isSafeRelPath(f)) throw new Error(`refusing to record an unsafe output path: ${JSON.stringify(f)}`);
  return `${HEADER}\n${list.join('\n')}${list.length ? '\n' : ''}`;
}

/** The files a marker lists; undefined when it is not a marker Slipway wrote (any unsafe line). */
export function parseMarker(text: string): string[] | undefined {
  const lines = text.split('\n');
  if (lines[0] !== HEADER) return undefined;
  const files: string[] = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    if (!isSafeRelPath(line)) return undefined;
    files.push(line);
  }
  return files;
}

/** The files listed by the marker in `dir`; undefined when there is no valid marker. */
export function readMarker(dir: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, MARKER), 'utf8');
  } catch {
    return undefined;
  }
  return parseMarker(text);
}
