/**
 * Loads a CommonJS file (the CLI bundle) through a V8 code cache, so a new process deserializes the
 * bytecode V8 compiled in an earlier run instead of parsing and compiling ~2 MB of JavaScript again
 * (about a quarter of a cold one-service `synth --stdout`: bench/RESULTS.md, "Where the time goes").
 *
 * The cache file holds a header line (format, sha1 of the source, Node.js version and architecture,
 * a checksum of the data) and V8's cached data. It is used only when all of these match and V8
 * accepts the data; otherwise the file is compiled as usual and `save()` writes a new cache
 * atomically (temporary file + rename). Every failure (no cache, a stale, corrupt or truncated one,
 * a directory that cannot be written) falls back to a plain compile: the cache can make a run
 * faster, never different or failing.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import * as zlib from 'node:zlib';

/** What happened to the cache when the file was loaded. */
export type CacheStatus = 'hit' | 'missing' | 'stale' | 'corrupt' | 'rejected';

export interface CachedLoad {
  /** The module's `module.exports`. */
  exports: unknown;
  status: CacheStatus;
  /** Writes a fresh cache (call late: it then holds every function compiled so far); false when it could not. */
  save(): boolean;
}

const MAGIC = 'slipway-v8-code-cache 1';

/** A fast checksum of the cached data: zlib's crc32 where Node.js has it (20.15+), else sha1. */
function checksum(data: Buffer): string {
  const crc32 = (zlib as unknown as { crc32?: (b: Buffer) => number }).crc32;
  return crc32 ? `crc32:${crc32(data)}` : `sha1:${createHash('sha1').update(data).digest('hex')}`;
}

/** Parses a cache file; the data when its header matches `key`, else why not. */
function readCache(cacheFile: string, key: string): Buffer | 'missing' | 'stale' | 'corrupt' {
  let buf: Buffer;
  try {
    buf = readFileSync(cacheFile);
  } catch {
    return 'missing';
  }
  const nl = buf.indexOf(10);
  if (nl < 0 || nl > 1024) return 'corrupt';
  const [magic, fileKey, sum] = buf.subarray(0, nl).toString('latin1').split(' | ');
  if (magic !== MAGIC || sum === undefined) return 'corrupt';
  if (fileKey !== key) return 'stale';
  const data = buf.subarray(nl + 1);
  return checksum(data) === sum ? data : 'corrupt';
}

/**
 * Runs `file` as a CommonJS module (its own `require`, `module`, `__filename`, `__dirname`) with the
 * code cache in `cacheFile`. A leading `#!` line is kept as a comment so line numbers stay the same.
 */
export function loadWithCodeCache(file: string, cacheFile: string): CachedLoad {
  const bytes = readFileSync(file);
  // scripts/bundle.mjs writes the bundle in ASCII: decoding it as Latin-1 is a copy, UTF-8 a scan.
  const text = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const source = text.startsWith('#!') ? `//${text.slice(2)}` : text;
  // Hashing the bytes is about half the cost of hashing the decoded string.
  const key = `${createHash('sha1').update(bytes).digest('hex')} ${process.version} ${process.arch}`;
  const cached = readCache(cacheFile, key);
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
  const script = new Script(wrapped, { filename: file, cachedData: typeof cached === 'string' ? undefined : cached });
  const status: CacheStatus = typeof cached === 'string' ? cached : script.cachedDataRejected ? 'rejected' : 'hit';

  const mod = new Module(file, require.main);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  mod.loaded = true;

  const save = (): boolean => {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      accessSync(dirname(cacheFile), constants.W_OK);
      const data = script.createCachedData();
      writeFileSync(tmp, Buffer.concat([Buffer.from(`${MAGIC} | ${key} | ${checksum(data)}\n`, 'latin1'), data]));
      renameSync(tmp, cacheFile);
      return true;
    } catch {
      try { rmSync(tmp, { force: true }); } catch { /* nothing was written */ }
      return false;
    }
  };
  return { exports: mod.exports, status, save };
}
