/**
 * "Valid means accepted" for CronJob schedules and time zones: every schedule and time zone
 * Slipway accepts (seeded random schedules, descriptors, names, ranges, steps; IANA names) is
 * accepted by the real API server in a strict server-side dry-run of the rendered CronJob; and
 * what Slipway refuses because Kubernetes refuses it (day of week 7, minute 60, `Local`,
 * an inline `TZ=`, a zone in the wrong case, ...) the API server refuses too.
 * SLIPWAY_FUZZ_CASES sets the number of random schedules (default 24), SLIPWAY_FUZZ_SEED the seed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpecText } from '../../src/spec/load';
import { renderManifestObjects } from '../../src/app/manifests';
import { cronProblem, timeZoneProblem } from '../../src/model/cron';
import { cluster, kube, nsName } from './support/env';
import { rng } from '../support/random-spec';

const CASES = Number(process.env.SLIPWAY_FUZZ_CASES ?? 24);
const SEED = Number(process.env.SLIPWAY_FUZZ_SEED ?? 15);
const ssaDryRun = (ns: string) => ['apply', '-n', ns, '--server-side', '--field-manager=slipway-jobs', '--validate=strict', '--dry-run=server', '-f', '-'];

/** The rendered CronJob of a valid spec, with schedule and time zone set afterwards (so refused values can be tried too). */
function cronJob(schedule: string, timeZone: string): any {
  const spec = `name: nightly\nversion: 1.0.0\nimage: { repository: acme/nightly }\nworkload:\n  kind: CronJob\n  cronJob: { schedule: "@daily" }\n`;
  const obj = structuredClone(renderManifestObjects(loadSpecText(spec, 'x.yaml')[0].model).find((o: any) => o.kind === 'CronJob')) as any;
  obj.spec.schedule = schedule;
  obj.spec.timeZone = timeZone;
  return obj;
}


const BOUNDS: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 6]];
const NAMES = [undefined, undefined, undefined, ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'], ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']];

function randomSchedule(next: () => number): string {
  return BOUNDS.map(([min, max], f) => {
    const n = () => min + Math.floor(next() * (max - min + 1));
    const name = (v: number) => (NAMES[f] && next() < 0.3 ? NAMES[f]![v - min] : String(v));
    const part = () => {
      const r = next();
      if (r < 0.2) return '*';
      if (r < 0.35) return `*/${1 + Math.floor(next() * max)}`;
      if (r < 0.65) return name(n());
      const [a, b] = [n(), n()].sort((x, y) => x - y);
      return `${name(a)}-${name(b)}${next() < 0.5 ? `/${1 + Math.floor(next() * 5)}` : ''}`;
    };
    return Array.from({ length: 1 + Math.floor(next() * 3) }, part).join(',');
  }).join(' ');
}

const next = rng(SEED);
const ACCEPTED_SCHEDULES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '0 0 ? * *', ...Array.from({ length: CASES }, () => randomSchedule(next))];
const ACCEPTED_ZONES = ['Etc/UTC', 'UTC', 'Europe/Berlin', 'America/New_York', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'Etc/GMT+1', 'Australia/Lord_Howe', 'US/Eastern', 'EST5EDT', 'Asia/Calcutta'];
/** Refused by Slipway because Kubernetes refuses them. */
const REFUSED_SCHEDULES = ['0 3 * * 7', '60 * * * *', '* 24 * * *', '* * 32 * *', '* * * 13 *', '0 3 * *', '0 0 3 * * *', 'TZ=UTC 0 3 * * *', 'CRON_TZ=UTC 0 3 * * *', '*/0 * * * *', '5-1 * * * *', '@reboot', 'x * * * *'];
const REFUSED_ZONES = ['Local', 'Mars/Olympus', 'europe/berlin', 'ETC/UTC', 'us/Eastern', 'Europe/BERLIN'];

describe(`CronJob schedules and time zones on ${cluster.local ? 'the local control plane' : 'an external cluster'} (seed ${SEED}, ${CASES} random schedules)`, () => {
  const ns = nsName('jobs', 'p');
  beforeAll(async () => { await kube.createNamespace(ns, 'restricted'); });
  afterAll(async () => { await kube.deleteNamespace(ns); });

  const apply = (obj: any) => kube.kubectl(ssaDryRun(ns), JSON.stringify(obj));

  it.each(ACCEPTED_SCHEDULES)('schedule %s: accepted by Slipway and by the API server', async (schedule) => {
    expect(cronProblem(schedule)).toBeUndefined();
    const r = await apply(cronJob(schedule, 'Etc/UTC'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => /warning/i.test(l))).toEqual([]);
  });

  it.each(ACCEPTED_ZONES)('time zone %s: accepted by Slipway and by the API server', async (zone) => {
    expect(timeZoneProblem(zone)).toBeUndefined();
    const r = await apply(cronJob('@daily', zone));
    expect(r.code, r.stderr).toBe(0);
  });

  it.each(REFUSED_SCHEDULES)('schedule %s: refused by Slipway and by the API server', async (schedule) => {
    expect(cronProblem(schedule)).toBeDefined();
    const r = await apply(cronJob(schedule, 'Etc/UTC'));
    expect(r.code, `the API server accepted ${schedule}`).not.toBe(0);
    expect(r.stderr).toMatch(/spec\.schedule|schedule/);
  });

  it.each(REFUSED_ZONES)('time zone %s: refused by Slipway and by the API server', async (zone) => {
    expect(timeZoneProblem(zone)).toBeDefined();
    const r = await apply(cronJob('@daily', zone));
    expect(r.code, `the API server accepted ${zone}`).not.toBe(0);
    expect(r.stderr).toMatch(/timeZone/);
  });
});
