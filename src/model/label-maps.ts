/**
 * Label maps other than `podLabels` (checked in resolve.ts) may not set the selector keys either:
 * Slipway sets them from `name` and `instance`, and the chart's values schema refuses them in every
 * label map, so a default render would fail.
 */
import type { ServiceSpec } from '../spec/types';
import type { Problems } from './problems';
import { SELECTOR_LABEL_KEYS } from './naming';

/** Adds a located problem for a selector key in `labels` or `metrics.serviceMonitorLabels`. */
export function checkLabelMaps(spec: ServiceSpec, problems: Problems): void {
  const maps: [readonly (string | number)[], Record<string, string> | undefined][] = [
    [['labels'], spec.labels],
    [['metrics', 'serviceMonitorLabels'], spec.metrics?.serviceMonitorLabels],
  ];
  for (const [path, map] of maps) {
    for (const key of SELECTOR_LABEL_KEYS) {
      if (map && Object.prototype.hasOwnProperty.call(map, key)) {
        problems.add([...path, key], 'is a selector label Slipway sets from `name` and `instance` on every object; it cannot be set here. Remove it (set `name` or `instance` instead)');
      }
    }
  }
}
