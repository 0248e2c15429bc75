/**
 * One run at a time per output directory: `<outdir>.slipway-lock`, created exclusively, holds the
 * pid and start time (from /proc/<pid>/stat) of the run that writes the directory. A lock whose
 * process is gone (or whose pid now belongs to another process) is stale and taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { OutputError } from './errors';
import { shown } from './paths';

/** The lock file of an output directory (a sibling: the directory itself is replaced). */
export function lockPathFor(realOutdir: string): string {
  return `${realOutdir}.slipway-lock`;
}

/** The start time of process `pid` (clock ticks after boot), '' where /proc has none, undefined when it is gone. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    try {
      process.kill(pid, 0);
      return '';
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM' ? '' : undefined;
    }
  }
}

/** Whether the process a lock names still runs (the same process: pid and start time). */
export function holderAlive(content: string): { pid: number; alive: boolean } {
  const [pidText, start = ''] = content.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return { pid: 0, alive: false };
  const now = processStart(pid);
  return { pid, alive: now !== undefined && (now === '' || start === '' || now === start) };
}

/** A held lock: `release` removes it. */
export interface Lock {
  readonly path: string;
  release(): void;
}

/** Takes the lock of `realOutdir`, or refuses in plain words when another live run holds it. */
export function acquireLock(realOutdir: string, given: string): Lock {
  const path = lockPathFor(realOutdir);
  const mine = `${process.pid} ${processStart(process.pid) ?? ''}\n`;
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let content: string;
      try {
        content = readFileSync(path, 'utf8');
      } catch {
        continue; // released meanwhile
      }
      const holder = holderAlive(content);
      if (holder.alive && holder.pid !== process.pid) {
        throw new OutputError(`another slipway run (pid ${holder.pid}) is writing ${given}; wait for it, or remove ${shown(path)} if no run is active`);
      }
      // Stale (its process is gone), or written by a run killed before it wrote its pid: take it over,
      // unless another run replaced it in the meantime.
      try {
        if (readFileSync(path, 'utf8') === content) unlinkSync(path);
      } catch {
        // gone already
      }
      continue;
    }
    try {
      writeSync(fd, mine);
    } finally {
      closeSync(fd);
    }
    let held = true;
    return {
      path,
      release() {
        if (!held) return;
        held = false;
        try {
          if (readFileSync(path, 'utf8') === mine) unlinkSync(path);
        } catch {
          // already gone
        }
      },
    };
  }
  throw new OutputError(`could not take the lock ${shown(path)} of ${given}: other runs keep replacing it; wait for them`);
}
