/**
 * The warm renderer's edges: clients that disconnect (before, during and after their request runs),
 * oversized and malformed requests, requests it does not take (the client then runs the cold path),
 * no server at all (cold path), and its socket file: mode 0600, only in an existing private
 * directory, never over a file or a live server, a stale socket replaced.
 */
import { connect } from 'node:net';
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES, MAGIC, decodeResponse, encodeRequest, STATUS_DECLINED, STATUS_RESULT } from '../../src/serve/protocol';
import { CLI, EXAMPLES, ROOT, WARM_ONLY, buildClient, cleanup, cold, run, startServer, temp, warm, type Served } from './warm-helpers';

let client: string;
let server: Served;

beforeAll(async () => {
  client = buildClient();
  server = await startServer();
}, 120_000);
afterAll(async () => {
  await server?.stop();
  cleanup();
});

/** Sends raw bytes, optionally closing right away; resolves with everything the server answered. */
function raw(socket: string, bytes: Buffer, opts: { destroyAfterWrite?: boolean } = {}): Promise<Buffer> {
  return new Promise((done) => {
    const s = connect(socket);
    const got: Buffer[] = [];
    s.on('data', (d) => got.push(d));
    s.on('error', () => done(Buffer.concat(got)));
    s.on('close', () => done(Buffer.concat(got)));
    s.write(bytes, () => { if (opts.destroyAfterWrite) s.destroy(); });
  });
}

const request = (args: string[], cwd = EXAMPLES) => encodeRequest({ cwd, args, env: {}, tty: { stdout: false, stderr: false } });

describe('clients that disconnect', () => {
  it('are skipped or their answer dropped, and the server keeps serving everyone else', async () => {
    const all = ['synth', '--stdout', '.'];
    // 8 clients hang up right after sending a whole request (queued or running), 4 mid-request.
    const gone = Array.from({ length: 8 }, () => raw(server.socket, request(all), { destroyAfterWrite: true }));
    const half = Array.from({ length: 4 }, () => raw(server.socket, request(all).subarray(0, 20), { destroyAfterWrite: true }));
    await Promise.all([...gone, ...half]);
    const [w, c] = await Promise.all([warm(client, server.socket, all, EXAMPLES, WARM_ONLY), cold(all, EXAMPLES)]);
    expect(c.status).toBe(0);
    expect(w).toEqual(c);
    expect(server.proc.exitCode).toBeNull();
  }, 120_000);
});

describe('requests the server does not take', () => {
  it('declines a request larger than the bound without reading it all', async () => {
    const head = Buffer.alloc(8);
    MAGIC.copy(head);
    head.writeUInt32BE(MAX_REQUEST_BYTES + 1, 4);
    const answer = decodeResponse(await raw(server.socket, Buffer.concat([head, Buffer.alloc(1024, 'x')])));
    expect(answer?.status).toBe(STATUS_DECLINED);
    expect(answer?.stderr.toString()).toContain(`larger than ${MAX_REQUEST_BYTES} bytes`);
  });

  it('declines garbage, a relative cwd and non-string arguments', async () => {
    for (const bytes of [Buffer.from('GET / HTTP/1.1\r\n\r\n'), request(['synth', '--stdout', 'x.yaml'], 'relative/dir'),
      Buffer.concat([MAGIC, Buffer.from([0, 0, 0, 4]), Buffer.from('{"x"')])]) {
      const answer = decodeResponse(await raw(server.socket, bytes));
      expect(answer?.status, bytes.toString()).toBe(STATUS_DECLINED);
    }
    const ok = decodeResponse(await raw(server.socket, request(['synth', '--stdout', 'ghillie.yaml'])));
    expect(ok?.status).toBe(STATUS_RESULT);
    expect(ok?.code).toBe(0);
  });

  it('declines commands that write files; the client then runs them cold (and they write)', async () => {
    for (const args of [['validate', 'ghillie.yaml'], ['synth', 'ghillie.yaml', '-o', 'x'], ['synth', '--stdout', '-qo', 'x', 'ghillie.yaml'], ['synth', '--stdout', '--package', '-o', 'x', 'ghillie.yaml']]) {
      const answer = decodeResponse(await raw(server.socket, request(args)));
      expect(answer?.status, args.join(' ')).toBe(STATUS_DECLINED);
    }
    const dir = temp('declined');
    writeFileSync(join(dir, 'ghillie.yaml'), readFileSync(join(EXAMPLES, 'ghillie.yaml')));
    const r = await warm(client, server.socket, ['synth', 'ghillie.yaml', '-o', 'out', '-q'], dir);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(dir, 'out', 'ghillie', 'chart', 'ghillie', 'Chart.yaml'))).toBe(true);
    const refused = await warm(client, server.socket, ['synth', 'ghillie.yaml', '-o', 'out2'], dir, WARM_ONLY);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toContain('not served warm, and cannot run the cold path');
  }, 60_000);
});

describe('no server', () => {
  it('the client runs the cold path: same bytes, same exit status', async () => {
    for (const socket of [join(temp('none'), 'absent.sock'), '']) {
      for (const args of [['synth', '--stdout', 'ghillie.yaml'], ['synth', '--stdout', 'nope.yaml']]) {
        const [w, c] = await Promise.all([warm(client, socket, args, EXAMPLES), cold(args, EXAMPLES)]);
        expect(w).toEqual(c);
      }
    }
  }, 60_000);

  it('a socket file nobody listens on (a dead server) also goes cold', async () => {
    const dir = temp('dead');
    const s = await startServer(dir);
    s.proc.kill('SIGKILL');
    await new Promise((r) => s.proc.once('exit', r));
    expect(lstatSync(s.socket).isSocket()).toBe(true);
    const args = ['synth', '--stdout', 'ghillie.yaml'];
    expect(await warm(client, s.socket, args, EXAMPLES)).toEqual(await cold(args, EXAMPLES));
    // A new server replaces the stale socket.
    const again = await startServer(dir);
    expect((await warm(client, again.socket, args, EXAMPLES, WARM_ONLY)).status).toBe(0);
    await again.stop();
    expect(existsSync(again.socket)).toBe(false);
  }, 60_000);
});

describe('the socket file', () => {
  it('is a socket with mode 0600', () => {
    const st = lstatSync(server.socket);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
  });

  it('is refused in a missing or world-writable directory, over a regular file, and over a live server', async () => {
    const serve = (socket: string) => run(process.execPath, [CLI, 'serve', '--socket', socket], { cwd: ROOT });
    const missing = await serve(join(temp('m'), 'no', 'such', 'warm.sock'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    const open = join(temp('w'), 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const world = await serve(join(open, 'warm.sock'));
    expect(world.status).toBe(2);
    expect(world.stderr).toContain('writable by everyone');
    const file = join(temp('f'), 'warm.sock');
    writeFileSync(file, 'keep me');
    const over = await serve(file);
    expect(over.status).toBe(2);
    expect(over.stderr).toContain('is not a socket');
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    const live = await serve(server.socket);
    expect(live.status).toBe(2);
    expect(live.stderr).toContain('already listening');
    expect(statSync(server.socket).isSocket()).toBe(true);
  }, 60_000);
});
