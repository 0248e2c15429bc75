/**
 * A progress line for long runs: one line on stderr, rewritten in place (`\r`), throttled, erased
 * at the end. Only on a terminal: nothing when stderr is not a TTY (pipes, CI logs, Argo CD) or
 * with `--quiet`, so scripted output never changes.
 */

/** What the pipeline reports. */
export interface Progress {
  /** A new phase with `total` steps (e.g. "rendering", 200 services). */
  phase(label: string, total: number): void;
  /** `n` more steps done. */
  tick(n?: number): void;
  /** Erases the line. */
  done(): void;
}

/** Minimum time between two redraws, in milliseconds. */
const REDRAW_MS = 80;

/** A progress line on `stream` when it is a terminal and not `quiet`; else undefined (report nothing). */
export function progressLine(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress | undefined {
  if (quiet || !stream.isTTY) return undefined;
  let label = '';
  let total = 0;
  let count = 0;
  let last = 0;
  let shown = false;
  const draw = (force: boolean) => {
    const now = Date.now();
    if (!force && now - last < REDRAW_MS) return;
    last = now;
    const width = Math.max(20, (stream.columns || 80) - 1);
    stream.write(`\r\x1b[2K${`slipway: ${label} ${count}/${total}`.slice(0, width)}`);
    shown = true;
  };
  return {
    phase(l, t) {
      label = l;
      total = t;
      count = 0;
      draw(true);
    },
    tick(n = 1) {
      count = Math.min(total, count + n);
      draw(count === total);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
