/**
 * The chart's `helm test` Pod retries its connection for a bounded time (a real-pod defect: right
 * after `helm install --wait`, kube-proxy may not have programmed the Service yet, so one `nc -z`
 * failed about one run in four). The rendered script is run here by a real POSIX shell (/bin/sh)
 * with an `nc` on PATH that refuses a given number of times.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_ATTEMPTS, TEST_CONNECT_TIMEOUT, TEST_INTERVAL } from '../../src/chart/chart-tests';
import { helmBinaries, helmOk } from '../support/helm';
import { KUBE_VERSION_ARGS, linkedExamples, parseStream, writeChart } from './fixture';

const withTests = linkedExamples().filter((s) => s.model.container.ports.some((p) => p.expose && p.protocol === 'TCP') && s.model.workload.kind !== 'Sidecar');
const svc = withTests[0];
// A POSIX shell that takes `nc` from PATH (Debian's static busybox sh would run its own applet).
const SH = ['/bin/sh'];

function testPod(args: string[] = []) {
  const dir = writeChart(svc.model);
  const [bin] = helmBinaries();
  return parseStream(helmOk(bin, ['template', svc.model.instance, dir, ...KUBE_VERSION_ARGS, ...args,
    '--show-only', 'templates/tests/test-connection.yaml']))[0];
}

/** Runs the container's command with its env, an `nc` that fails `failures` times first. */
function runScript(pod: any, failures: number, env: Record<string, string> = {}) {
  const c = pod.spec.containers[0];
  const bin = mkdtempSync(join(tmpdir(), 'slipway-nc-'));
  const count = join(bin, 'count');
  writeFileSync(count, '0');
  writeFileSync(join(bin, 'nc'), `#!/bin/sh
n=$(cat "${count}"); echo $((n + 1)) > "${count}"; echo "nc $*" >> "${bin}/calls"
[ "$n" -ge ${failures} ]
`);
  chmodSync(join(bin, 'nc'), 0o755);
  const cEnv = Object.fromEntries(c.env.map((e: { name: string; value: string }) => [e.name, e.value]));
  expect(c.command.slice(0, 2)).toEqual(['sh', '-c']);
  const r = spawnSync(SH[0], [...SH.slice(1), '-c', c.command[2]], {
    encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, ...cEnv, INTERVAL: '0', ...env }, timeout: 20_000,
  });
  return { ...r, calls: readFileSync(join(bin, 'calls'), 'utf8').trim().split('\n') };
}

describe.skipIf(!svc)('chart test Pod: bounded retry', () => {
  it('passes host and port as env vars (values never enter the script) with bounded attempts', () => {
    const pod = testPod(['--set-string', 'fullnameOverride=x;reboot']);
    const c = pod.spec.containers[0];
    expect(c.command[2]).not.toContain('reboot');
    const env = Object.fromEntries(c.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ TARGET_HOST: 'x;reboot', ATTEMPTS: String(TEST_ATTEMPTS), INTERVAL: String(TEST_INTERVAL), CONNECT_TIMEOUT: String(TEST_CONNECT_TIMEOUT) });
    // Bounded: well under helm test's default 5 minute timeout.
    expect(TEST_ATTEMPTS * (TEST_INTERVAL + TEST_CONNECT_TIMEOUT)).toBeLessThanOrEqual(150);
  });

  it('succeeds once the Service answers (after refusals), with nc -z on the Service host and port', () => {
    const pod = testPod();
    const r = runScript(pod, 3);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.calls).toHaveLength(4);
    const env = Object.fromEntries(pod.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(r.calls[0]).toBe(`nc -z -w ${TEST_CONNECT_TIMEOUT} ${env.TARGET_HOST} ${env.TARGET_PORT}`);
    expect(r.stdout).toMatch(/connected \(attempt 4\)/);
  });

  it('fails after ATTEMPTS tries when the Service never answers', () => {
    const r = runScript(testPod(), 1000);
    expect(r.status).toBe(1);
    expect(r.calls).toHaveLength(TEST_ATTEMPTS);
    expect(r.stdout).toMatch(new RegExp(`no connection after ${TEST_ATTEMPTS} attempts`));
  });
});
