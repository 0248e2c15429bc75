/**
 * The warm renderer's wire format on its Unix socket (one request and one response per connection).
 * Kept tiny so the client can be a static Go binary (warm-client/main.go) rather than a second Node
 * process.
 *
 * Request:  "SLW1" | u32 big-endian length | that many bytes of JSON ({@link WarmRequest}).
 * Response: "SLW1" | u8 status | u8 exit code | u32 stdout length | u32 stderr length | stdout | stderr.
 *
 * Status 0 is a result: the client prints stdout and stderr and exits with the code, exactly as the
 * cold `slipway` process would have. Status 1 means "not served here": the client runs the cold
 * path instead (a request the server does not take, a malformed or oversized request).
 */

/** The 4 bytes every request and response starts with (format version 1). */
export const MAGIC = Buffer.from('SLW1', 'latin1');

/** Largest request body accepted (JSON of cwd, arguments and a few environment variables). */
export const MAX_REQUEST_BYTES = 256 * 1024;

/** Response status: a result to print. */
export const STATUS_RESULT = 0;
/** Response status: run the cold path instead. */
export const STATUS_DECLINED = 1;

/** What a client asks for: the command line it was given, where, and the environment that matters. */
export interface WarmRequest {
  /** The client's working directory (absolute): relative spec paths and error locations are resolved against it. */
  readonly cwd: string;
  /** The arguments after `slipway`, e.g. `["synth", "--stdout", "--", "web.yaml"]`. */
  readonly args: readonly string[];
  /** The client's variables that change what Slipway prints (see {@link FORWARDED_ENV}). */
  readonly env: Readonly<Record<string, string>>;
  /** Whether the client's stdout and stderr are terminals (colour and the progress line follow it). */
  readonly tty: { readonly stdout: boolean; readonly stderr: boolean };
}

/** Environment variables the client forwards: a name matching this changes Slipway's output or exit. */
export const FORWARDED_ENV = /^(SLIPWAY_|CDK8S_)|^(NO_COLOR|FORCE_COLOR|TERM)$/;

/** Outcome of reading a request off the wire. */
export type Parsed = { readonly ok: true; readonly request: WarmRequest } | { readonly ok: false; readonly reason: string };

/**
 * Parses a complete request frame (magic, length, JSON). Anything that is not exactly one
 * well-formed request is refused with a reason (never thrown).
 */
export function parseRequest(frame: Buffer): Parsed {
  if (frame.length < 8 || !frame.subarray(0, 4).equals(MAGIC)) return { ok: false, reason: 'not a Slipway warm request' };
  const length = frame.readUInt32BE(4);
  if (length > MAX_REQUEST_BYTES) return { ok: false, reason: `request larger than ${MAX_REQUEST_BYTES} bytes` };
  if (frame.length !== 8 + length) return { ok: false, reason: 'request length does not match its header' };
  let value: unknown;
  try {
    value = JSON.parse(frame.subarray(8).toString('utf8'));
  } catch {
    return { ok: false, reason: 'request is not JSON' };
  }
  const r = value as Partial<WarmRequest> | null;
  const strings = (a: unknown): a is string[] => Array.isArray(a) && a.every((s) => typeof s === 'string');
  if (!r || typeof r !== 'object' || typeof r.cwd !== 'string' || !r.cwd.startsWith('/') || !strings(r.args)) {
    return { ok: false, reason: 'request needs an absolute cwd and string args' };
  }
  const env = r.env && typeof r.env === 'object' ? r.env : {};
  if (!Object.values(env).every((v) => typeof v === 'string')) return { ok: false, reason: 'request env values must be strings' };
  const tty = { stdout: Boolean(r.tty?.stdout), stderr: Boolean(r.tty?.stderr) };
  return { ok: true, request: { cwd: r.cwd, args: r.args, env: env as Record<string, string>, tty } };
}

/** How many bytes of a frame are needed in total, once its 8-byte header is in (undefined before). */
export function frameLength(head: Buffer): number | undefined {
  return head.length < 8 ? undefined : 8 + head.readUInt32BE(4);
}

/** Encodes a request (used by tests and the bench; the Go client writes the same bytes). */
export function encodeRequest(request: WarmRequest): Buffer {
  const body = Buffer.from(JSON.stringify(request), 'utf8');
  const head = Buffer.alloc(8);
  MAGIC.copy(head, 0);
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** Encodes a response. */
export function encodeResponse(status: number, code: number, stdout: Buffer, stderr: Buffer): Buffer {
  const head = Buffer.alloc(14);
  MAGIC.copy(head, 0);
  head.writeUInt8(status, 4);
  head.writeUInt8(code & 0xff, 5);
  head.writeUInt32BE(stdout.length, 6);
  head.writeUInt32BE(stderr.length, 10);
  return Buffer.concat([head, stdout, stderr]);
}

/** A decoded response. */
export interface WarmResponse {
  readonly status: number;
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

/** Decodes a complete response; undefined when it is truncated or malformed. */
export function decodeResponse(buf: Buffer): WarmResponse | undefined {
  if (buf.length < 14 || !buf.subarray(0, 4).equals(MAGIC)) return undefined;
  const outLen = buf.readUInt32BE(6);
  const errLen = buf.readUInt32BE(10);
  if (buf.length !== 14 + outLen + errLen) return undefined;
  return { status: buf[4], code: buf[5], stdout: buf.subarray(14, 14 + outLen), stderr: buf.subarray(14 + outLen) };
}
