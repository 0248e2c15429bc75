/**
 * compose.yaml: valid against the Compose Specification's own JSON Schema (from compose-go, the
 * library docker compose uses), runs the final stage the way the pod runs it, and carries a
 * healthcheck from the spec's health declaration whose command really works: the python and node
 * commands are run here against a live HTTP server / TCP port.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeHealth, resolveImageBuild } from '../../src/image';
import { files, fixture, fixtureNames, modelOf } from './helpers';

/** compose-go's version whose schema is used (the one buildx v0.38 embeds). */
const COMPOSE_GO = 'github.com/compose-spec/compose-go/v2@v2.16.1';

/** The Compose Specification schema, fetched through the Go module proxy (cached by Go). */
function composeSchema(): object | string {
  try {
    const info = JSON.parse(execFileSync('go', ['mod', 'download', '-json', COMPOSE_GO], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    return JSON.parse(readFileSync(join(info.Dir, 'schema', 'compose-spec.json'), 'utf8'));
  } catch (e) {
    return `cannot get the Compose schema with \`go mod download ${COMPOSE_GO}\`: ${(e as Error).message.split('\n')[0]}`;
  }
}

const composeFixtures = fixtureNames().filter((n) => files(fixture(n))['compose.yaml']);
const compose = (name: string) => parseYaml(files(fixture(name))['compose.yaml']);

describe('compose.yaml against the Compose Specification schema', () => {
  const schema = composeSchema();
  if (typeof schema === 'string') {
    if (process.env.CI) throw new Error(schema);
    console.warn(`SKIPPED: ${schema}`);
  }
  it.skipIf(typeof schema === 'string').each(composeFixtures)('%s validates', (name) => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema as object);
    expect(validate(compose(name)) ? [] : validate.errors).toEqual([]);
  });

  it.skipIf(typeof schema === 'string')('is the real schema: it rejects an unknown service field', () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema as object);
    expect(validate({ services: { x: { image: 'a', read_onlyy: true } } })).toBe(false);
  });
});

describe('compose.yaml mirrors the pod', () => {
  it('ollama: same user, read-only root with tmpfs at the writable paths, config env, grace period', () => {
    const svc = compose('ollama-openai-proxy').services['ollama-openai-proxy'];
    expect(svc).toMatchObject({
      build: { context: '../../..', dockerfile: 'dist/ollama-openai-proxy/image/Dockerfile', target: 'prod' },
      image: 'ghcr.io/example/ollama-openai-proxy:1.0.0',
      user: '1000:1000',
      read_only: true,
      tmpfs: ['/tmp'],
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
      ports: ['127.0.0.1:8000:8000'],
      environment: { LOG_FORMAT: 'json', LOG_LEVEL: 'INFO', OLLAMA_BASE_URL: 'http://ollama:11434' },
      stop_grace_period: '45s',
    });
  });

  it('ollama: the healthcheck checks /health (the startup check) with liveness timings and the startup budget', () => {
    const hc = compose('ollama-openai-proxy').services['ollama-openai-proxy'].healthcheck;
    expect(hc.test.slice(0, 3)).toEqual(['CMD', 'python', '-c']);
    expect(hc.test[3]).toContain('"http://127.0.0.1:8000/health"');
    expect(hc).toMatchObject({ interval: '10s', timeout: '3s', retries: 3, start_period: '150s', start_interval: '5s' });
  });

  it('cloud-optimizer: the spec command is the entrypoint, the liveness check is the healthcheck', () => {
    const svc = compose('cloud-optimizer').services['cloud-optimizer'];
    expect(svc.entrypoint).toEqual(['python', '-m', 'cloud_optimizer.entrypoint']);
    expect(svc.tmpfs).toEqual(['/app/data/cache', '/tmp']);
    expect(svc.healthcheck).toMatchObject({ interval: '15s', timeout: '10s', retries: 3, start_period: '60s' });
  });

  it('go and static images get no healthcheck, and the file says why', () => {
    for (const name of ['chorus-websocket-gateway', 'static-agent']) {
      const text = files(fixture(name))['compose.yaml'];
      expect(parseYaml(text).services[fixture(name).name].healthcheck).toBeUndefined();
      expect(text).toMatch(/# No healthcheck: the (go|static) image has no shell, HTTP client or interpreter/);
    }
  });

  it('an exec check carries over to any image, distroless included', () => {
    const model = modelOf('name: w\nversion: "1"\nimage: { repository: w }\nports: [{ name: http, containerPort: 80 }]\nhealth: { exec: { command: [/w, health] } }\nbuild: { preset: go, compose: true }\n');
    const h = composeHealth(resolveImageBuild(model), model);
    expect(h).toMatchObject({ kind: 'check', test: ['CMD', '/w', 'health'] });
  });

  it('a gRPC check has no healthcheck, with the reason', () => {
    const model = modelOf('name: w\nversion: "1"\nimage: { repository: w }\nports: [{ name: grpc, containerPort: 9000 }]\nhealth: { grpc: { port: grpc } }\nbuild: { preset: python, compose: true }\n');
    expect(composeHealth(resolveImageBuild(model), model)).toEqual({ kind: 'none', reason: expect.stringContaining('gRPC health client') });
  });

  it('escapes $ in values (compose interpolates it)', () => {
    const model = modelOf('name: w\nversion: "1"\nimage: { repository: w }\nconfig: { env: { PRICE: "$5" } }\nbuild: { preset: python, compose: true }\n');
    expect(files(model)['compose.yaml']).toContain('PRICE: $$5');
  });
});

/**
 * Runs a healthcheck's command (after CMD) on this machine, asynchronously (the server answering
 * it lives in this process); `python` may be called python3 here. Resolves to the exit status.
 */
function runCheck(test: string[]): Promise<number> {
  const [cmd, ...args] = test.slice(1);
  const bin = cmd === 'python' && spawnSync('python', ['--version']).error ? 'python3' : cmd;
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: 'ignore', timeout: 20_000 });
    child.on('error', () => resolve(-1));
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

describe('the healthcheck commands work against a live server', () => {
  let server: Server;
  let port: number;
  let seenHeader: string | undefined;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/health') seenHeader = req.headers['x-health-check'] as string | undefined;
      res.statusCode = req.url === '/health' ? 200 : 500;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  const spec = (preset: string, check: string, p: number) =>
    modelOf(`name: w\nversion: "1"\nimage: { repository: w }\nports: [{ name: http, containerPort: ${p} }]\nhealth: { ${check} }\nbuild: { preset: ${preset}, compose: true }\n`);
  const test = (preset: string, check: string, p = port) => {
    const m = spec(preset, check, p);
    const h = composeHealth(resolveImageBuild(m), m);
    if (h.kind !== 'check') throw new Error(h.reason);
    return h.test;
  };

  it.each(['python', 'node'])('%s: http check passes on 200, with the declared headers', async (preset) => {
    seenHeader = undefined;
    expect(await runCheck(test(preset, 'http: { path: /health, port: http, headers: { X-Health-Check: probe } }'))).toBe(0);
    expect(seenHeader).toBe('probe');
  });

  it.each(['python', 'node'])('%s: http check fails on 500', async (preset) => {
    expect(await runCheck(test(preset, 'http: { path: /broken, port: http }'))).not.toBe(0);
  });

  it.each(['python', 'node'])('%s: tcp check passes on an open port and fails on a closed one', async (preset) => {
    expect(await runCheck(test(preset, 'tcp: { port: http }'))).toBe(0);
    const probe = createTcpServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const closed = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    expect(await runCheck(test(preset, 'tcp: { port: http }', closed))).not.toBe(0);
  });
});
