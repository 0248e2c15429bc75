/**
 * Resources: Slipway's defaults fill, per resource, whatever the spec leaves out, and `none`
 * removes one (`resources: none` removes them all). A default never contradicts the user: a
 * default limit below the user's request is raised to it, a default request above the user's
 * limit is lowered to it. A user request above the user's own limit is an error.
 */
import type { ResourceAmountsSpec, ResourcesSpec } from '../spec/types';
import type { ContainerModel } from './types';
import type { Problems } from './problems';
import type { FieldPath } from '../spec/errors';
import { quantityValue } from './quantity';

type Amounts = Record<string, string>;

/** Default requests and limits (no CPU limit: throttling a bursty service helps nobody). */
export const RESOURCE_DEFAULTS = {
  requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' } as Readonly<Amounts>,
  limits: { memory: '256Mi', 'ephemeral-storage': '1Gi' } as Readonly<Amounts>,
};

/** Resolves `resources` into the container's requests and limits (undefined: no block at all). */
export function resolveResources(spec: ResourcesSpec | 'none' | undefined, problems: Problems, at: FieldPath = ['resources']): ContainerModel['resources'] {
  if (spec === 'none') return undefined;
  const requests = merge(RESOURCE_DEFAULTS.requests, spec?.requests);
  const limits = merge(RESOURCE_DEFAULTS.limits, spec?.limits);
  for (const r of Object.keys(requests)) {
    if (limits[r] === undefined || !(quantityValue(requests[r]) > quantityValue(limits[r]))) continue;
    const userRequest = spec?.requests?.[r as keyof ResourceAmountsSpec] !== undefined;
    const userLimit = spec?.limits?.[r as keyof ResourceAmountsSpec] !== undefined;
    if (userRequest && userLimit) {
      problems.add([...at, 'requests', r], `(${requests[r]}) is above ${at.join('.')}.limits.${r} (${limits[r]}): a request may not exceed its limit. Lower the request or raise the limit`);
    } else if (userRequest) {
      limits[r] = requests[r];
    } else {
      requests[r] = limits[r];
    }
  }
  return { requests, limits };
}

/** Defaults, overridden per resource by the user's amounts; `none` removes one. Default key order first. */
function merge(defaults: Readonly<Amounts>, user: ResourceAmountsSpec | undefined): Amounts {
  const out: Amounts = {};
  const keys = [...Object.keys(defaults), ...Object.keys(user ?? {}).filter((k) => !(k in defaults))];
  for (const k of keys) {
    const v = (user as Amounts | undefined)?.[k] ?? defaults[k];
    if (v !== undefined && v !== 'none') out[k] = v;
  }
  return out;
}
