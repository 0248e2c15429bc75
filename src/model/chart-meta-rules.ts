/**
 * Text that goes into Chart.yaml must reach helm unchanged. Helm sanitizes chart metadata when it
 * loads a chart: every Unicode space becomes " " and every character that is not printable (Go's
 * unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space) is dropped.
 * So such text is refused here, with its field, rather than silently changed by helm.
 */
import type { ServiceSpec } from '../spec/types';
import type { Problems } from './problems';

/** Printable as Go's unicode.IsPrint has it. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u;

/** Adds a problem for each Chart.yaml text field that helm would change. */
export function checkChartText(spec: ServiceSpec, problems: Problems): void {
  const check = (path: (string | number)[], value: string | undefined) => {
    if (value === undefined || PRINTABLE.test(value)) return;
    const bad = [...value].find((c) => !PRINTABLE.test(c))!;
    problems.add(path, `contains U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, which helm replaces or drops in Chart.yaml: use plain spaces and printable characters only`);
  };
  check(['description'], spec.description);
  (spec.chart?.maintainers ?? []).forEach((m, i) => check(['chart', 'maintainers', i, 'name'], m.name));
}
