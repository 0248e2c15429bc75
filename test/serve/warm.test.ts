/**
 * The warm path (`slipway serve` + the Go client slipway-warm) prints exactly what the cold path
 * (`slipway synth --stdout`) prints, with the same exit status: on every example, on generated
 * specs, on bad specs; under concurrent clients; after clients that disconnect; and it falls back to
 * the cold path when no server answers or the request is not one the server takes.
 * SLIPWAY_COLD=/nonexistent in a warm run proves it was served warm (a fallback would fail).
 */
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpecGen, randomSpec } from '../support/random-spec';
import { EXAMPLES, WARM_ONLY, buildClient, cleanup, cold, startServer, temp, warm, type Served } from './warm-helpers';

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

describe('warm ≡ cold', () => {
  it('on every example (stdout bytes, stderr bytes, exit status)', async () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort();
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const args = ['synth', '--stdout', '--input-root', '.', '--', f];
      const [w, c] = await Promise.all([warm(client, server.socket, args, EXAMPLES, WARM_ONLY), cold(args, EXAMPLES)]);
      expect(c.status, `${f}: ${c.stderr}`).toBe(0);
      expect({ f, ...w }).toEqual({ f, ...c });
    }
  }, 120_000);

  it('on all examples at once', async () => {
    const args = ['synth', '--stdout', '.'];
    const [w, c] = await Promise.all([warm(client, server.socket, args, EXAMPLES, WARM_ONLY), cold(args, EXAMPLES)]);
    expect(c.status).toBe(0);
    expect(w).toEqual(c);
  }, 60_000);

  it('on 24 generated specs (valid, or refused with the same errors)', async () => {
    const dir = temp('fuzz');
    const g = new SpecGen(18_2026);
    const statuses = new Set<number | null>();
    for (let i = 0; i < 24; i++) {
      const f = `svc-${i}.yaml`;
      writeFileSync(join(dir, f), stringify(randomSpec(g)));
      const args = ['synth', '--stdout', '--', f];
      const [w, c] = await Promise.all([warm(client, server.socket, args, dir, WARM_ONLY), cold(args, dir)]);
      statuses.add(c.status);
      expect({ f, ...w }).toEqual({ f, ...c });
    }
    expect(statuses.has(0)).toBe(true);
  }, 180_000);

  it('on bad specs: the same error text and exit 2, and the server keeps serving', async () => {
    const dir = temp('bad');
    writeFileSync(join(dir, 'unknown.yaml'), 'apiVersion: slipway.dev/v1alpha1\nname: x\nbogus: 1\n');
    writeFileSync(join(dir, 'broken.yaml'), 'name: [unclosed\n');
    writeFileSync(join(dir, 'escape.yaml'), 'apiVersion: slipway.dev/v1alpha1\nname: web\nversion: "1"\nimage: {repository: x}\nconfig:\n  filesFrom: [../../etc/passwd]\n');
    for (const args of [['synth', '--stdout', 'unknown.yaml'], ['synth', '--stdout', 'broken.yaml'], ['synth', '--stdout', 'escape.yaml'], ['synth', '--stdout', 'missing.yaml'], ['synth', '--stdout', '--bogus-flag', 'x.yaml']]) {
      const [w, c] = await Promise.all([warm(client, server.socket, args, dir, WARM_ONLY), cold(args, dir)]);
      expect(c.status, args.join(' ')).not.toBe(0);
      expect(c.stderr.length).toBeGreaterThan(0);
      expect(w).toEqual(c);
    }
    const ok = await warm(client, server.socket, ['synth', '--stdout', 'ghillie.yaml'], EXAMPLES, WARM_ONLY);
    expect(ok.status).toBe(0);
  }, 60_000);

  it('never serves a stale spec: an edited file is read again on the next request', async () => {
    const dir = temp('stale');
    const spec = (tag: string) => `apiVersion: slipway.dev/v1alpha1\nname: web\nversion: "${tag}"\nimage: {repository: ghcr.io/acme/web, tag: "${tag}"}\nports: [{name: http, containerPort: 8080}]\n`;
    writeFileSync(join(dir, 'web.yaml'), spec('1.0.0'));
    const first = await warm(client, server.socket, ['synth', '--stdout', 'web.yaml'], dir, WARM_ONLY);
    writeFileSync(join(dir, 'web.yaml'), spec('2.0.0'));
    const second = await warm(client, server.socket, ['synth', '--stdout', 'web.yaml'], dir, WARM_ONLY);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('ghcr.io/acme/web:1.0.0');
    expect(second.stdout).toContain('ghcr.io/acme/web:2.0.0');
    expect(second.stdout).not.toContain('1.0.0');
    expect(second).toEqual(await cold(['synth', '--stdout', 'web.yaml'], dir));
  }, 60_000);
});

describe('concurrency', () => {
  it('12 clients at once, in different directories, each get their own output', async () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort();
    const jobs = Array.from({ length: 12 }, (_, i) => {
      const f = files[i % files.length];
      const dir = i % 2 ? EXAMPLES : join(temp('conc'), 'd');
      if (dir !== EXAMPLES) {
        mkdirSync(dir);
        writeFileSync(join(dir, 'web.yaml'), `apiVersion: slipway.dev/v1alpha1\nname: web-${i}\nversion: "1"\nimage: {repository: ghcr.io/acme/web-${i}}\nports: [{name: http, containerPort: ${8000 + i}}]\n`);
      }
      return { dir, args: ['synth', '--stdout', dir === EXAMPLES ? f : 'web.yaml'] };
    });
    const warmRuns = await Promise.all(jobs.map((j) => warm(client, server.socket, j.args, j.dir, WARM_ONLY)));
    for (const [i, j] of jobs.entries()) {
      const c = await cold(j.args, j.dir);
      expect(c.status).toBe(0);
      expect(warmRuns[i]).toEqual(c);
    }
  }, 120_000);
});
