/**
 * The one way Slipway reads a file that a spec names (and the spec files themselves): the file's
 * real path (symlinks resolved) must be inside a root directory, it must be a regular file (not a
 * device, FIFO, socket, directory or a /proc, /sys or /dev pseudo-file), no larger than a limit,
 * and UTF-8 text. It is opened without following a symlink and checked again on the open file, so
 * a path swapped for a symlink in between is refused too. Problems are described by path and
 * kind, never by content.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { formatSize } from './limits';
import { decodeUtf8, lineOfByte } from './utf8';

/** Where and how much may be read. */
export interface ConfineOptions {
  /** Directory the file's real path must be inside. @default none: any path (for a spec file the user named) */
  readonly root?: string;
  /** The root as messages name it. @default the root path */
  readonly rootName?: string;
  /** Largest size, in bytes. */
  readonly maxBytes: number;
  /** What the file is, for messages (`config file`, `spec file`). */
  readonly kind: string;
  /** What to change when the file is too large. */
  readonly tooLargeHint: string;
}

/** A file's text, or why it cannot be read (a predicate: "is a directory"), with the line of bad bytes. */
export type ConfinedRead = { readonly text: string } | { readonly problem: string; readonly line?: number };

/** Pseudo file systems whose files look regular but are not (their size says 0, or they never end). */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

/** Reads `path` under the rules of the module comment. */
export function readConfinedFile(path: string, opts: ConfineOptions): ConfinedRead {
  if (path.includes('\0')) return { problem: 'contains a NUL character: a path cannot' };
  let real: string;
  try {
    real = realpathSync(path);
  } catch (e) {
    return { problem: describeError(e) };
  }
  if (opts.root !== undefined) {
    let root: string;
    try {
      root = realpathSync(opts.root);
    } catch (e) {
      return { problem: `cannot be checked: the input root ${opts.root} ${describeError(e)}` };
    }
    if (!inside(real, root)) {
      const how = inside(resolve(path), resolve(opts.root)) ? ' through a symlink' : '';
      return { problem: `resolves${how} to a file outside ${opts.rootName ?? `the input root ${opts.root}`}: only files inside it are read` };
    }
  }
  const pseudo = PSEUDO_ROOTS.find((p) => inside(real, p));
  if (pseudo) return { problem: `is a special file under ${pseudo}, not a regular file: only regular files are read` };

  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; O_NOFOLLOW: no symlink swapped in since realpath.
    fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    return { problem: describeError(e) };
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return { problem: 'is a directory, not a file' };
    if (!st.isFile()) return { problem: 'is not a regular file (a device, FIFO or socket): only regular files are read' };
    if (st.size > opts.maxBytes) {
      return { problem: `is ${formatSize(st.size)}, over the ${formatSize(opts.maxBytes)} limit for a ${opts.kind}: ${opts.tooLargeHint}` };
    }
    const buf = Buffer.alloc(st.size + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n === buf.length) break;
    }
    if (n !== st.size) return { problem: 'changed size while it was read (or is not a regular file): only stable, regular files are read' };
    const decoded = decodeUtf8(buf.subarray(0, n));
    if ('badOffset' in decoded) {
      const line = lineOfByte(buf, decoded.badOffset);
      return { problem: `is not UTF-8 text (byte ${decoded.badOffset + 1}, line ${line}, is not valid UTF-8): save it as UTF-8`, line };
    }
    return { text: decoded.text };
  } catch (e) {
    return { problem: describeError(e) };
  } finally {
    closeSync(fd);
  }
}

/** Whether `path` is `dir` or inside it (both absolute and real). */
export function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** A file system error in words (a predicate), without any content. */
function describeError(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT': return 'does not exist';
    case 'ENOTDIR': return 'does not exist (a part of the path is not a directory)';
    case 'EACCES': case 'EPERM': return 'cannot be read: permission denied';
    case 'ELOOP': return 'is a symlink that loops or was swapped while it was read';
    case 'EISDIR': return 'is a directory, not a file';
    case 'ENAMETOOLONG': return 'is too long a path';
    case 'EAGAIN': return 'is not a regular file (a FIFO or socket): only regular files are read';
    default: return `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unknown error'})`;
  }
}
