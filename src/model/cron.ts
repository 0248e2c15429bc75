/**
 * Cron schedules and time zones as a CronJob's controller reads them (Kubernetes parses schedules
 * with robfig/cron's standard parser and time zones with Go's time.LoadLocation): what this file
 * accepts, the API server and controller accept. Each check returns what to change, or undefined.
 */

/** The descriptors the standard parser knows (`@every` is left out: it does not follow the clock). */
export const CRON_DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'] as const;

interface FieldRule { readonly name: string; readonly min: number; readonly max: number; readonly names?: readonly string[] }

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: DAYS },
];

const FORMAT = 'five fields "minute hour day-of-month month day-of-week" (e.g. "0 3 * * *") or one of ' + CRON_DESCRIPTORS.join(', ');

/** Problems of a cron schedule, or undefined when the controller accepts it. */
export function cronProblem(schedule: string): string | undefined {
  const s = schedule.trim();
  if (/^(CRON_)?TZ=/i.test(s)) return 'sets its time zone inline (TZ=...), which Kubernetes refuses: use cronJob.timeZone';
  if (s.startsWith('@')) {
    return (CRON_DESCRIPTORS as readonly string[]).includes(s) ? undefined : `"${s}" is not a known descriptor: use ${FORMAT}`;
  }
  const fields = s.split(/[ \t]+/).filter(Boolean);
  if (fields.length !== 5) return `has ${fields.length} field${fields.length === 1 ? '' : 's'}: a schedule is ${FORMAT}`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(fields[i], FIELDS[i]);
    if (problem) return `field ${i + 1} (${FIELDS[i].name}) "${fields[i]}" ${problem}`;
  }
  return undefined;
}

/** One field: comma-separated `*`, `?` (day fields), `n`, `a-b`, each optionally `/step`. */
function fieldProblem(field: string, rule: FieldRule): string | undefined {
  const range = `${rule.min}-${rule.max}${rule.names ? ` or ${rule.names[0]}-${rule.names[rule.names.length - 1]}` : ''}`;
  for (const part of field.split(',')) {
    const [base, step, extra] = part.split('/');
    if (extra !== undefined) return `has more than one "/" in "${part}"`;
    if (step !== undefined && !/^[0-9]+$/.test(step)) return `has step "${step}", which is not a number`;
    if (step !== undefined && Number(step) === 0) return 'has step 0: a step is at least 1';
    if (base === '*' || (base === '?' && rule.name.startsWith('day'))) continue;
    const ends = base.split('-');
    if (ends.length > 2) return `has "${base}", which is not a value or a range a-b`;
    const values = ends.map((e) => valueOf(e, rule));
    if (values.some((v) => v === undefined)) return `has "${base}": values are ${range}`;
    const [lo, hi = lo] = values as number[];
    if (lo < rule.min || hi > rule.max) return `has "${base}" outside ${range}`;
    if (lo > hi) return `has the range "${base}", which runs backwards`;
  }
  return undefined;
}

function valueOf(text: string, rule: FieldRule): number | undefined {
  if (/^[0-9]{1,2}$/.test(text)) return Number(text);
  const i = rule.names?.indexOf(text.toUpperCase()) ?? -1;
  if (i < 0) return undefined;
  return rule.names === MONTHS ? i + 1 : i;
}

/**
 * Problems of a time zone name, or undefined when it is an IANA name the controller can load.
 * Go's time.LoadLocation reads tzdata file names, which are case-sensitive: `europe/berlin` is refused.
 */
export function timeZoneProblem(tz: string): string | undefined {
  if (tz === 'Local') return 'is "Local", which Kubernetes refuses: name the zone, e.g. Etc/UTC or Europe/Berlin';
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return `"${tz}" is not an IANA time zone: use a name such as Etc/UTC, Europe/Berlin or America/New_York`;
  }
  if (resolved === tz) return undefined;
  if (resolved.toLowerCase() === tz.toLowerCase()) return `"${tz}" must be written "${resolved}" (time zone names are case-sensitive)`;
  // An alias (e.g. US/Eastern): ICU resolves names in any case, the tz database does not. Its
  // segments start upper-case, and an all-capitals segment is one the database spells so.
  const miscased = tz.split('/').find((seg) => !/^[A-Z]/.test(seg) || (!/[a-z]/.test(seg) && !ALL_CAPS.test(seg)));
  if (miscased !== undefined) return `"${tz}" is not spelled as in the IANA time zone database ("${miscased}"; names are case-sensitive), e.g. ${resolved}`;
  return undefined;
}

/** The all-capitals segments of tz database names (UTC, GMT+1, EST5EDT, NZ-CHAT, ...). */
const ALL_CAPS = /^(UTC|UCT|UT|GMT|GMT0|GMT[+-][0-9]{1,2}|EST|MST|HST|CET|EET|MET|WET|PRC|ROC|ROK|NZ|NZ-CHAT|GB|US|EST5EDT|CST6CDT|MST7MDT|PST8PDT|W-SU)$/;
