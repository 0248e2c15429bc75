/**
 * `slipway synth --package --push oci://...` against a real OCI registry: the CNCF distribution
 * registry (built from its Go module by scripts/bootstrap-tools.sh group `registry`) on 127.0.0.1,
 * then `helm pull` of each chart back and `helm template` of the pulled archive, which must equal
 * the plain manifests, with helm 3 and helm 4 (bootstrapped; `--plain-http` needs helm >= 3.13). Skipped
 * when the registry or helm 3 is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildOnce, exampleCounts, slipway, tempDir, EXAMPLES } from '../cli/helpers';
import { toolsBinDir } from '../support/helm';
import { parseStream, isTestHook } from '../chart/fixture';

const REGISTRY = join(toolsBinDir(), 'registry');
const HELM = join(toolsBinDir(), 'helm3');
/** Helm 3 and 4 (bootstrapped): each pushes, pulls and renders. */
const HELMS = ['helm3', 'helm4'].map((n) => [n, join(toolsBinDir(), n)] as const).filter(([, p]) => existsSync(p));
const ready = existsSync(REGISTRY) && existsSync(HELM);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitUp(url: string, proc: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`registry exited: ${log()}`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`registry did not answer on ${url}: ${log()}`);
}

describe.skipIf(!ready)('OCI push round trip (distribution registry on 127.0.0.1)', () => {
  let proc: ChildProcess;
  let host: string;
  let helmEnv: Record<string, string>;
  let stderr = '';

  beforeAll(async () => {
    buildOnce();
    const dir = tempDir('registry');
    const port = await freePort();
    host = `127.0.0.1:${port}`;
    const config = join(dir, 'config.yml');
    writeFileSync(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: ${host}\n`);
    proc = spawn(REGISTRY, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, OTEL_TRACES_EXPORTER: 'none' } });
    proc.stderr!.on('data', (d) => { stderr += d; });
    await waitUp(`http://${host}/v2/`, proc, () => stderr);
    // helm's registry config and caches in the test's own directory, never the user's.
    const home = join(dir, 'helm');
    mkdirSync(home);
    helmEnv = { HELM_REGISTRY_CONFIG: join(home, 'registry.json'), HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') };
  }, 180_000);

  afterAll(() => {
    proc?.kill('SIGTERM');
  });

  it.each(HELMS)('%s: pushes every example chart, pulls each back and renders it as the manifests', (name, HELM) => {
    const out = join(tempDir('push'), 'out');
    const url = `oci://${host}/charts-${name}`;
    const r = slipway(['synth', EXAMPLES, '-o', out, '--package', '--push', url, '--plain-http'], { env: { SLIPWAY_HELM: HELM, ...helmEnv } });
    expect(r.status, r.stderr).toBe(0);
    const charts = readdirSync(out, { withFileTypes: true }).filter((d) => d.isDirectory())
      .flatMap((d) => (existsSync(join(out, d.name, 'chart')) ? readdirSync(join(out, d.name, 'chart')).filter((f) => !f.endsWith('.tgz')).map((c) => ({ fullname: d.name, chart: c })) : []));
    expect(charts.length).toBe(exampleCounts().charts);
    for (const { fullname, chart } of charts) {
      const meta = parse(readFileSync(join(out, fullname, 'chart', chart, 'Chart.yaml'), 'utf8'));
      expect(r.stdout).toContain(`pushed ${url}/${chart}:${meta.version}`);
      const pulled = tempDir('pulled');
      const pull = spawnSync(HELM, ['pull', `${url}/${chart}`, '--version', meta.version, '--plain-http', '-d', pulled], { encoding: 'utf8', env: { ...process.env, ...helmEnv } });
      expect(pull.status, pull.stderr).toBe(0);
      const tgz = join(pulled, `${chart}-${meta.version}.tgz`);
      expect(existsSync(tgz)).toBe(true);
      const manifests = readFileSync(join(out, fullname, 'manifests', `${fullname}.k8s.yaml`), 'utf8');
      const release = parseStream(manifests)[0]?.metadata?.labels?.['app.kubernetes.io/instance'] ?? fullname;
      const t = spawnSync(HELM, ['template', release, tgz], { encoding: 'utf8', env: { ...process.env, ...helmEnv } });
      expect(t.status, t.stderr).toBe(0);
      const key = (o: any) => `${o.kind}/${o.metadata.name}`;
      const rendered = parseStream(t.stdout).filter((o) => !isTestHook(o)).sort((a, b) => key(a).localeCompare(key(b)));
      const expected = parseStream(manifests).sort((a, b) => key(a).localeCompare(key(b)));
      expect(rendered, chart).toEqual(expected);
    }
  }, 120_000);

  it('an unreachable registry: exit non-zero, helm\'s message, the output directory untouched', () => {
    const out = join(tempDir('push-fail'), 'out');
    const port = host.split(':')[1];
    const r = slipway(['synth', join(EXAMPLES, 'ghillie.yaml'), '-o', out, '--package', '--push', `oci://127.0.0.1:${Number(port) === 1 ? 2 : 1}/charts`, '--plain-http'], { env: { SLIPWAY_HELM: HELM, ...helmEnv } });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/helm push ghillie-[0-9.]+\.tgz oci:\/\/127\.0\.0\.1:[0-9]+\/charts failed/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  }, 60_000);
});

describe('--push options', () => {
  beforeAll(() => buildOnce(), 180_000);
  it.each([
    [['--push', 'oci://r.example/charts'], /--push needs --package/],
    [['--package', '--push', 'https://r.example/charts'], /must be an OCI repository URL/],
    [['--package', '--push', 'oci://user:pw@r.example/charts'], /put no credentials in the URL/],
    [['--package', '--push', 'oci://r.example/Charts'], /lower-case path/],
    [['--plain-http'], /--plain-http only applies with --push/],
  ])('%j is refused before anything is written', (args, message) => {
    const out = join(tempDir('push-opts'), 'out');
    const r = slipway(['synth', join(EXAMPLES, 'ghillie.yaml'), '-o', out, ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });
});
