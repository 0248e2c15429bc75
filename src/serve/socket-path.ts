/**
 * Creating the warm renderer's socket file: only in a directory that exists (Slipway creates no
 * directory for it), never over a file that is not a socket, never over a live server's socket,
 * and with mode 0600 from the first instant (the umask is narrowed while it is bound).
 */
import { connect, type Server } from 'node:net';
import { chmodSync, lstatSync, statSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../cli/output';

/** Longest Unix socket path Linux accepts (sun_path is 108 bytes with the terminating NUL). */
const MAX_SOCKET_PATH = 107;

/** Whether something answers on the socket at `path`. */
function alive(path: string): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(path);
    s.once('connect', () => { s.destroy(); done(true); });
    s.once('error', () => done(false));
  });
}

/**
 * Checks `path` and clears a stale socket left by a server that died; returns the absolute path.
 * Throws a UsageError (exit 2) for a missing or unsafe directory, a non-socket file, or a live server.
 */
export async function prepareSocketPath(path: string): Promise<string> {
  const abs = resolve(path);
  if (Buffer.byteLength(abs) > MAX_SOCKET_PATH) throw new UsageError(`socket path ${abs} is longer than ${MAX_SOCKET_PATH} bytes (a Unix socket limit): use a shorter one`);
  const dir = dirname(abs);
  const d = statSync(dir, { throwIfNoEntry: false });
  if (!d?.isDirectory()) throw new UsageError(`socket directory ${dir} does not exist: create it first (mode 0700)`);
  // Others could replace the socket in a directory they can write to, unless it is sticky (/tmp).
  if ((d.mode & 0o002) !== 0 && (d.mode & 0o1000) === 0) throw new UsageError(`socket directory ${dir} is writable by everyone: use a directory only you can write to`);
  const existing = lstatSync(abs, { throwIfNoEntry: false });
  if (existing) {
    if (!existing.isSocket()) throw new UsageError(`${abs} exists and is not a socket: refusing to replace it`);
    if (await alive(abs)) throw new UsageError(`a server is already listening on ${abs}`);
    unlinkSync(abs);
  }
  return abs;
}

/** Binds `server` to the socket at `abs` (from prepareSocketPath) with mode 0600. */
export function listenPrivately(server: Server, abs: string): Promise<void> {
  return new Promise((done, fail) => {
    const umask = process.umask(0o177);
    server.once('error', (e) => { process.umask(umask); fail(e); });
    server.listen(abs, () => {
      process.umask(umask);
      chmodSync(abs, 0o600);
      done();
    });
  });
}
