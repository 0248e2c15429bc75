/**
 * The warm renderer: a long-lived `slipway` on a Unix socket that runs `synth --stdout` requests
 * with its modules already loaded and compiled, in a pool of render worker processes (pool.ts).
 * Each connection carries one request (protocol.ts). This process only reads requests, hands them
 * to the pool and writes the answers: no render runs in it, so no request can stop it.
 *
 * Nothing is cached between requests except pure, content-keyed memos inside the renderers: every
 * request reads its spec files afresh from the client's directory, exactly as a cold run would, so a
 * changed spec is never answered with an old render.
 *
 * Robustness: a bad spec is an ordinary result (the CLI's own error text and exit code); a request
 * larger than MAX_REQUEST_BYTES, malformed, or not sent within REQUEST_TIMEOUT_MS is declined or
 * dropped; a client that disconnects is skipped if still waiting and its answer discarded otherwise;
 * a render over the request timeout or its worker's heap bound, or one more request than the queue
 * holds, gets an error that names the bound (limit-errors.ts).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { declineReason } from './policy';
import type { RenderPool } from './pool';
import { MAX_REQUEST_BYTES, STATUS_DECLINED, STATUS_RESULT, encodeResponse, frameLength, parseRequest } from './protocol';

/** A client has this long to send its whole request. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Counters a caller (tests, the serve command's log) can read. */
export interface ServerStats {
  served: number;
  declined: number;
  dropped: number;
}

/** Builds the server over `pool`; `log` receives one line per decline or internal failure (never per request). */
export function warmServer(pool: RenderPool, log: (line: string) => void = () => {}): { server: Server; stats: ServerStats } {
  const stats: ServerStats = { served: 0, declined: 0, dropped: 0 };

  const decline = (socket: Socket, reason: string) => {
    stats.declined++;
    log(`declined: ${reason}`);
    if (!socket.destroyed) socket.end(encodeResponse(STATUS_DECLINED, 0, Buffer.alloc(0), Buffer.from(reason)));
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
      void pool.submit(parsed.request, () => socket.destroyed).then((answer) => {
        if (socket.destroyed) { stats.dropped++; return; }
        if (answer.type === 'declined') return decline(socket, answer.reason);
        stats.served++;
        socket.end(encodeResponse(STATUS_RESULT, answer.code, answer.stdout, answer.stderr));
      });
    };
    socket.on('data', onData);
  });
  return { server, stats };
}
