/**
 * Errors of the output directory: refusals (a directory Slipway does not own, a run already
 * writing it) and environmental failures (disk full, read-only, permission denied), all said in
 * plain words and reported with exit code 2, never as an internal error.
 */

/** A refusal or an environmental failure around the output directory: one line, exit 2. */
export class OutputError extends Error {
  /** The exit code of the command that hits it. */
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/** What each errno means, in words a user acts on (`%s` is the path). */
const WORDS: Record<string, string> = {
  ENOSPC: 'the disk is full writing %s',
  EDQUOT: 'the disk quota is exceeded writing %s',
  EROFS: 'the file system is read-only: %s',
  EACCES: 'permission denied: %s',
  EPERM: 'operation not permitted: %s',
  EMFILE: 'too many open files (raise `ulimit -n`) at %s',
  ENFILE: 'the system has too many open files at %s',
  ENAMETOOLONG: 'the path is too long: %s',
  ENOTDIR: 'a part of the path is a file, not a directory: %s',
  ELOOP: 'too many symbolic links in the path: %s',
  EIO: 'input/output error (a disk problem) at %s',
};

/** The errno codes {@link asOutputError} turns into plain words. */
export const ENVIRONMENTAL_CODES: readonly string[] = Object.keys(WORDS);

/**
 * `e` as an OutputError when it is one, or when it is a file-system failure of the environment:
 * a Node errno error, or its message as passed on by a worker thread
 * (`ENOSPC: no space left on device, open '/x'`; the first quoted path is the one named). Otherwise undefined (a bug: exit 3).
 */
export function asOutputError(e: unknown): OutputError | undefined {
  if (e instanceof OutputError) return e;
  if (!(e instanceof Error)) return undefined;
  const errno = e as NodeJS.ErrnoException;
  let code = errno.code;
  let path = errno.path ?? (errno as { dest?: string }).dest;
  if (!code || !WORDS[code]) {
    const m = /^(?:Error: )?(E[A-Z]+): [^\n']*(?:'([^'\n]*)')?/.exec(e.message);
    if (!m) return undefined;
    code = m[1];
    path = m[2];
  }
  const words = WORDS[code];
  if (!words) return undefined;
  return new OutputError(words.replace('%s', path ?? '(unknown path)'));
}

/** Runs `fn`; an environmental failure becomes an OutputError (see {@link asOutputError}). */
export function plainly<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw asOutputError(e) ?? e;
  }
}
