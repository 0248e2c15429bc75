/** The config value an upgrade test changes in a chart (helm.test.ts, realpods/examples.test.ts). */

/** A change of `config.env.<key>` from its default `from` to `to`. */
export interface ConfigChange {
  readonly key: string;
  readonly from: string;
  readonly to: string;
}

/** A config value to change: config.env's LOG_LEVEL-like key if any, else its first key. */
export function configChange(values: Record<string, unknown>): ConfigChange | undefined {
  const env = (values.config as { env?: Record<string, unknown> } | undefined)?.env;
  if (!env || typeof env !== 'object') return undefined;
  const keys = Object.keys(env);
  const key = keys.find((k) => /LOG_?LEVEL$/i.test(k)) ?? keys[0];
  if (!key) return undefined;
  const from = String(env[key]);
  return { key, from, to: /LOG_?LEVEL$/i.test(key) ? (from === 'DEBUG' ? 'INFO' : 'DEBUG') : `${from}-e2e` };
}
