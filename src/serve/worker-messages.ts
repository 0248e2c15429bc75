/**
 * Messages between the warm renderer's pool (pool.ts, in the server process) and a render worker
 * (render-worker.ts, a child process) over the child's IPC channel ("advanced" serialization, so
 * Buffers cross as bytes). A worker takes one request at a time.
 */
import type { WarmRequest } from './protocol';

/** Server → worker: render this request. */
export interface RenderMessage {
  readonly type: 'render';
  readonly id: number;
  readonly request: WarmRequest;
}

/** Worker → server. */
export type FromRenderWorker =
  /** Loaded Slipway; takes requests from now on. */
  | { readonly type: 'ready' }
  /** What the command printed and its exit status, exactly as a cold process. */
  | { readonly type: 'result'; readonly id: number; readonly code: number; readonly stdout: Uint8Array; readonly stderr: Uint8Array }
  /** The request cannot run here (its directory is gone) or failed inside the worker: the client runs cold. */
  | { readonly type: 'declined'; readonly id: number; readonly reason: string };
