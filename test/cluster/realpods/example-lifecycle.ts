/**
 * The per-example lifecycle of the examples tier (examples.test.ts) on the real kubelet: which helm
 * manages an example's release (helm 3 and helm 4 alternate, one each, to keep the tier's time
 * modest), whether its chart has `helm test` hooks, and the values change an upgrade makes so that
 * every long-running pod rolls — `config.env.<key>` (the pod templates' `checksum/config` changes)
 * when the chart has config env, else one more `extraEnvVars` entry (the pod template itself changes).
 */
import fs from 'node:fs';
import path from 'node:path';
import { configChange } from '../support/config-change';

/** The helm binaries, alternating over the examples. */
export const LIFECYCLE_HELMS = ['helm3', 'helm4'] as const;
export type LifecycleHelm = (typeof LIFECYCLE_HELMS)[number];

/** The helm that installs, tests, upgrades and rolls back the i-th example. */
export function helmFor(i: number): LifecycleHelm {
  return LIFECYCLE_HELMS[i % LIFECYCLE_HELMS.length];
}

/** Workload kinds whose pods run until replaced: an upgrade rolls them. */
export const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** Whether the chart in `chartDir` has `helm test` hooks (templates/tests/). */
export function hasChartTests(chartDir: string): boolean {
  const dir = path.join(chartDir, 'templates', 'tests');
  return fs.existsSync(dir) && fs.readdirSync(dir).some((f) => /\.ya?ml$/.test(f));
}

/** The env var an upgrade adds when the chart has no config env to change. */
export const EXTRA_ENV = 'SLIPWAY_E2E_REVISION';

/** What an upgrade changes, and how the app and the pod templates show it. */
export interface UpgradeChange {
  /** helm flags, after the install's own. */
  readonly flags: string[];
  /** The env var the app sees change. */
  readonly key: string;
  /** Its value before the upgrade (undefined: not set). */
  readonly from?: string;
  readonly to: string;
  /** True when the change goes through the ConfigMap: the pod templates' `checksum/config` changes. */
  readonly checksum: boolean;
  /** For the test name. */
  readonly what: string;
}

/**
 * The change an upgrade makes: `config.env`'s LOG_LEVEL-like (or first) key when the chart has one,
 * else `extraEnvVars` (the install's `env` entries) plus `SLIPWAY_E2E_REVISION=2`.
 */
export function upgradeChange(values: Record<string, unknown>, env: readonly { name: string; value: string }[]): UpgradeChange {
  const c = configChange(values);
  if (c) return { flags: ['--set-string', `config.env.${c.key}=${c.to}`], key: c.key, from: c.from, to: c.to, checksum: true, what: `config.env.${c.key}=${c.to}` };
  return {
    flags: ['--set-json', `extraEnvVars=${JSON.stringify([...env, { name: EXTRA_ENV, value: '2' }])}`],
    key: EXTRA_ENV, to: '2', checksum: false, what: `extraEnvVars ${EXTRA_ENV}=2`,
  };
}

/** A pod template's `checksum/config`, or the main container's value of `key` (the rolled-on marker). */
export function templateMarker(workload: any, container: string, change: UpgradeChange): string | undefined {
  const tpl = workload.spec.template;
  if (change.checksum) return tpl.metadata?.annotations?.['checksum/config'];
  const c = tpl.spec.containers.find((x: any) => x.name === container) ?? tpl.spec.containers[0];
  return c.env?.find((e: any) => e.name === change.key)?.value;
}
