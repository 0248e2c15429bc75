/**
 * The warm renderer: a long-lived `slipway` on a Unix socket that runs `synth --stdout` requests
 * with its modules already loaded and compiled. Each connection carries one request (protocol.ts);
 * requests run one at a time, in arrival order (captured-run.ts changes process-wide state).
 *
 * Nothing is cached between requests except pure, content-keyed memos inside the renderers: every
 * request reads its spec files afresh from the client's directory, exactly as a cold run would, so a
 * changed spec is never answered with an old render.
 *
 * Robustness: a bad spec is an ordinary result (the CLI's own error text and exit code); a request
 * larger than MAX_REQUEST_BYTES, malformed, or not sent within REQUEST_TIMEOUT_MS is declined or
 * dropped; a client that disconnects is skipped if still queued and its answer discarded otherwise.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { NotRunnable, runCaptured, type CliRun } from './captured-run';
import { declineReason } from './policy';
import { MAX_REQUEST_BYTES, STATUS_DECLINED, STATUS_RESULT, encodeResponse, frameLength, parseRequest, type WarmRequest } from './protocol';

/** A client has this long to send its whole request. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Counters a caller (tests, the serve command's log) can read. */
export interface ServerStats {
  served: number;
  declined: number;
  dropped: number;
}

interface Job {
  readonly socket: Socket;
  readonly request: WarmRequest;
}

/** Builds the server; `log` receives one line per decline or internal failure (never per request). */
export function warmServer(cli: CliRun, log: (line: string) => void = () => {}): { server: Server; stats: ServerStats } {
  const stats: ServerStats = { served: 0, declined: 0, dropped: 0 };
  const queue: Job[] = [];
  let busy = false;

  const decline = (socket: Socket, reason: string) => {
    stats.declined++;
    log(`declined: ${reason}`);
    if (!socket.destroyed) socket.end(encodeResponse(STATUS_DECLINED, 0, Buffer.alloc(0), Buffer.from(reason)));
  };

  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const { socket, request } = job;
        if (socket.destroyed) { stats.dropped++; continue; }
        try {
          const r = await runCaptured(cli, request);
          if (socket.destroyed) { stats.dropped++; continue; }
          stats.served++;
          socket.end(encodeResponse(STATUS_RESULT, r.code, r.stdout, r.stderr));
        } catch (e) {
          decline(socket, e instanceof NotRunnable ? e.message : `internal error: ${(e as Error).message}`);
        }
      }
    } finally {
      busy = false;
    }
  };

  const server = createServer({ allowHalfOpen: false }, (socket) => {
    const chunks: Buffer[] = [];
    let have = 0;
    let need: number | undefined;
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => { stats.dropped++; socket.destroy(); });
    socket.on('error', () => socket.destroy());
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      have += chunk.length;
      need ??= frameLength(Buffer.concat(chunks));
      if (need !== undefined && need > 8 + MAX_REQUEST_BYTES) {
        socket.off('data', onData);
        return decline(socket, `request larger than ${MAX_REQUEST_BYTES} bytes`);
      }
      if (need === undefined || have < need) return;
      socket.off('data', onData);
      socket.pause();
      socket.setTimeout(0);
      const parsed = parseRequest(Buffer.concat(chunks).subarray(0, need));
      if (!parsed.ok) return decline(socket, parsed.reason);
      const reason = declineReason(parsed.request.args);
      if (reason) return decline(socket, reason);
      queue.push({ socket, request: parsed.request });
      void pump();
    };
    socket.on('data', onData);
  });
  return { server, stats };
}
