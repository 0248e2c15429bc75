/**
 * The Argo CD sidecar's entrypoint (argocd/slipway-sidecar.sh) starts the warm renderer and then
 * execs the CMP server ($ARGOCD_CMP_SERVER, here `sleep`, standing in for argocd-cmp-server, which
 * only execs the plugin's commands); the plugin's generate command (argocd/plugin.yaml) is then
 * served warm through slipway-warm, byte-identical to the cold path; SLIPWAY_WARM=0 starts nothing.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, buildClient, cleanup, cold, coldOnPath, run, temp } from './warm-helpers';

const plugin = parseYaml(readFileSync(join(ROOT, 'argocd', 'plugin.yaml'), 'utf8'));
const SIDECAR = join(ROOT, 'argocd', 'slipway-sidecar.sh');
const EXAMPLES = join(ROOT, 'examples');
let path: string;

beforeAll(() => {
  path = `${dirname(buildClient())}:${coldOnPath()}:${process.env.PATH}`;
}, 120_000);
afterAll(cleanup);

/** Starts the entrypoint in its own process group; returns a function that stops the whole group. */
function startSidecar(env: NodeJS.ProcessEnv): () => void {
  const p = spawn('sh', [SIDECAR, '120'], { detached: true, stdio: 'ignore', env: { ...process.env, PATH: path, ARGOCD_CMP_SERVER: 'sleep', ...env } });
  return () => { try { process.kill(-p.pid!, 'SIGTERM'); } catch { /* gone */ } };
}

/** Runs the plugin's generate command in dir as argocd-cmp-server does. */
function generate(dir: string, env: NodeJS.ProcessEnv) {
  const [bin, ...rest] = [...plugin.spec.generate.command, ...plugin.spec.generate.args];
  return run(bin, rest, { cwd: dir, env: { ...process.env, PATH: path, ...env } });
}

async function waitFor(check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('argocd/slipway-sidecar.sh', () => {
  it('starts `slipway serve` in a private directory it creates; generate is served warm, equal to cold', async () => {
    const socket = join(temp('sidecar'), 'slipway', 'warm.sock');
    const stop = startSidecar({ SLIPWAY_SOCKET: socket });
    try {
      await waitFor(() => existsSync(socket));
      expect(statSync(dirname(socket)).mode & 0o777).toBe(0o700);
      expect(statSync(socket).mode & 0o777).toBe(0o600);
      // SLIPWAY_COLD pointing nowhere: only the warm renderer can have answered.
      const w = await generate(EXAMPLES, { SLIPWAY_SOCKET: socket, SLIPWAY_COLD: '/nonexistent/slipway', PARAM_SPECS_0: 'ghillie.yaml' });
      const c = await cold(['synth', '--stdout', '--input-root', '.', '--', 'ghillie.yaml'], EXAMPLES);
      expect(c.status).toBe(0);
      expect(w).toEqual(c);
    } finally {
      stop();
    }
  }, 60_000);

  it('with SLIPWAY_WARM=0 starts no server, and generate runs cold', async () => {
    const socket = join(temp('sidecar-off'), 'slipway', 'warm.sock');
    const stop = startSidecar({ SLIPWAY_SOCKET: socket, SLIPWAY_WARM: '0' });
    try {
      await new Promise((r) => setTimeout(r, 1500));
      expect(existsSync(dirname(socket))).toBe(false);
      const w = await generate(EXAMPLES, { SLIPWAY_SOCKET: socket, PARAM_SPECS_0: 'ghillie.yaml' });
      expect(w).toEqual(await cold(['synth', '--stdout', '--input-root', '.', '--', 'ghillie.yaml'], EXAMPLES));
    } finally {
      stop();
    }
  }, 60_000);
});
