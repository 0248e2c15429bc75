/**
 * values.schema.json shapes of a Job's / CronJob's values (`job.*`, `cronJob.*`): the enums and
 * bounds Kubernetes defines, a cron schedule's outline (five fields or a descriptor) and an IANA
 * time zone name other than `Local`. The full schedule check is the spec's (model/cron.ts).
 */
type Schema = Record<string, unknown>;

const int = (minimum: number, maximum?: number): Schema => ({ type: 'integer', minimum, ...(maximum !== undefined ? { maximum } : {}) });

/** Schemas by values key pattern (consumed by chart/schema.ts). */
export const JOB_VALUE_SCHEMAS: [RegExp, Schema][] = [
  [/^job\.restartPolicy$/, { type: 'string', enum: ['Never', 'OnFailure'] }],
  [/^job\.backoffLimit$/, int(0, 1000)],
  [/^job\.activeDeadlineSeconds$/, int(1)],
  [/^job\.ttlSecondsAfterFinished$/, int(0)],
  [/^cronJob\.schedule$/, { type: 'string', pattern: '^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|[^\\s@]+([ \\t]+[^\\s]+){4})$' }],
  [/^cronJob\.timeZone$/, { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$', not: { const: 'Local' } }],
  [/^cronJob\.concurrencyPolicy$/, { type: 'string', enum: ['Allow', 'Forbid', 'Replace'] }],
  [/^cronJob\.startingDeadlineSeconds$/, int(10)],
  [/^cronJob\.(successful|failed)JobsHistoryLimit$/, int(0)],
];
