/** Checks of a spec's text before it is parsed: its size and characters YAML does not allow. */
import { SpecError } from './errors';
import { LIMITS, codePoint, firstNonPrintable, formatSize } from './limits';

/** Line and column (1-based) of an offset in a text. */
export function locateOffset(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Throws a located SpecError when a spec text is over the size limit or holds a character YAML does not allow. */
export function checkSpecText(text: string, file: string): void {
  if (text.length > LIMITS.specFileBytes / 3) {
    const bytes = Buffer.byteLength(text);
    if (bytes > LIMITS.specFileBytes) {
      throw new SpecError([{ file, path: '', message: `spec is ${formatSize(bytes)}, over the ${formatSize(LIMITS.specFileBytes)} limit for a spec file: split it into several spec files` }]);
    }
  }
  const bad = firstNonPrintable(text);
  if (bad) {
    const message = `holds the control character ${codePoint(bad.code)}, which YAML does not allow in a file: remove it (in a double-quoted string an escape such as "\\u${bad.code.toString(16).padStart(4, '0')}" stands for it)`;
    throw new SpecError([{ file, ...locateOffset(text, bad.offset), path: '', message }]);
  }
}
