/**
 * Pod Security through the side door (issue 14, class 4): the chart's values.schema.json keeps the
 * spec's promises. Every hostile `--set` / `-f` below is refused by real `helm template` (every
 * helm in test/support/helm.ts) with the schema's message naming the field; the spec refuses the
 * same AppArmor / seccomp / selector keys with a located error unless it names the exception; and
 * what the schema does accept (defaults, the shipped values files, seeded random valid values)
 * renders pods that meet Pod Security "restricted".
 * SLIPWAY_FUZZ_CASES (default 6) random cases per helm, seeded by SLIPWAY_FUZZ_SEED.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpecText } from '../../src/spec/load';
import { renderManifestObjects } from '../../src/app/manifests';
import { helm, helmBinaries, type HelmBinary } from '../support/helm';
import { restrictedViolations, podSpecOf, tokenChosen } from '../support/pss';
import { KUBE_VERSION_ARGS, linkedExamples, parseStream, isTestHook, writeChart, writeValues } from '../chart/fixture';
import { toYaml } from '../../src/chart/yaml-out';
import { buildOnce, slipway, tempDir } from '../cli/helpers';
import { writeFileSync } from 'node:fs';
import { rng } from '../support/random-spec';

const SCHEMA_ERROR = /values don't meet the specifications of the schema/;

const BASE = `name: web
version: 1.2.3
image: { repository: acme/web }
ports:
  - { name: http, containerPort: 8080 }
  - { name: metrics, containerPort: 9100 }
health: { http: { path: /healthz, port: http }, readiness: { http: { path: /ready, port: http } } }
metrics: { port: metrics }
migration: { command: [/web, migrate] }
labels: { team: payments }
podLabels: { tier: backend }
podAnnotations: { example.com/owner: payments }
`;

/** A service spec with one named exception (and, for the annotation overrides, the annotation it permits). */
function withException(allow: string, extra = ''): string {
  return `${BASE.replace(/^podAnnotations:.*\n/m, '')}security:\n  exceptions:\n    - { name: ${allow.toLowerCase()}, reason: the test needs exactly this opt-out, allow: [${allow}] }\n${extra}`;
}

const APPARMOR = 'container.apparmor.security.beta.kubernetes.io/web';
const SECCOMP_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER = 'container.seccomp.security.alpha.kubernetes.io/web';
/** `--set` escapes dots inside a key. */
const esc = (key: string) => key.replace(/\./g, '\\.');

/** A hostile input: helm arguments and what the refusal must mention (field names, in any helm's dialect). */
interface Hostile {
  readonly what: string;
  readonly args: (() => string[]) | string[];
  readonly mentions: readonly RegExp[];
}

const set = (expr: string, ...mentions: RegExp[]): Hostile => ({ what: `--set ${expr}`, args: ['--set', expr], mentions });
const setString = (expr: string, ...mentions: RegExp[]): Hostile => ({ what: `--set-string ${expr}`, args: ['--set-string', expr], mentions });
const file = (what: string, values: string, ...mentions: RegExp[]): Hostile => ({ what: `-f (${what})`, args: () => ['-f', writeValues('hostile.yaml', values)], mentions });
/** A field path as helm 3.10 (dots) or helm >= 3.18 / 4 (JSON pointer, `/` as `~1`) prints it. */
const at = (...segs: string[]) => new RegExp(`${segs.map(reEsc).join('\\.')}|/${segs.map((s) => reEsc(s.replace(/\//g, '~1'))).join('/')}`);
function reEsc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const CSC = 'containerSecurityContext';
const PSC = 'podSecurityContext';

export const HOSTILE: readonly Hostile[] = [
  set(`${CSC}.privileged=true`, at(CSC, 'privileged'), /false/),
  set(`${CSC}.allowPrivilegeEscalation=true`, at(CSC, 'allowPrivilegeEscalation'), /false/),
  set(`${CSC}.allowPrivilegeEscalation=null`, /allowPrivilegeEscalation/),
  set(`${CSC}.runAsNonRoot=false`, at(CSC, 'runAsNonRoot'), /true/),
  set(`${PSC}.runAsNonRoot=false`, at(PSC, 'runAsNonRoot'), /true/),
  set(`${PSC}.runAsNonRoot=null`, /runAsNonRoot/),
  set(`${PSC}.runAsUser=0`, at(PSC, 'runAsUser'), /1/),
  set(`${CSC}.runAsUser=0`, at(CSC, 'runAsUser'), /1/),
  set(`${CSC}.runAsGroup=0`, at(CSC, 'runAsGroup')),
  set(`${PSC}.runAsGroup=0`, at(PSC, 'runAsGroup')),
  set(`${PSC}.runAsUser=-5`, at(PSC, 'runAsUser')),
  setString(`${PSC}.runAsUser=1000`, at(PSC, 'runAsUser'), /integer/),
  set(`${CSC}.capabilities.add={SYS_ADMIN}`, at(CSC, 'capabilities', 'add'), /NET_BIND_SERVICE/),
  set(`${CSC}.capabilities.add={NET_BIND_SERVICE,NET_RAW}`, at(CSC, 'capabilities', 'add'), /NET_BIND_SERVICE/),
  set(`${CSC}.capabilities.add={ALL}`, at(CSC, 'capabilities', 'add')),
  set(`${CSC}.capabilities.drop=null`, at(CSC, 'capabilities'), /drop/),
  set(`${CSC}.capabilities.drop={NET_RAW}`, at(CSC, 'capabilities', 'drop'), /ALL/),
  set(`${CSC}.capabilities=null`, /capabilities/),
  set(`${CSC}=null`, /containerSecurityContext/),
  set(`${PSC}=null`, /podSecurityContext/),
  set(`${PSC}.seccompProfile.type=Unconfined`, at(PSC, 'seccompProfile', 'type'), /RuntimeDefault/),
  set(`${CSC}.seccompProfile.type=Unconfined`, at(CSC, 'seccompProfile', 'type'), /RuntimeDefault/),
  set(`${PSC}.seccompProfile=null`, /seccompProfile/),
  set(`${PSC}.seccompProfile.type=Localhost,${PSC}.seccompProfile.localhostProfile=null`, /localhostProfile/),
  set(`${PSC}.seccompProfile.type=RuntimeDefault,${PSC}.seccompProfile.localhostProfile=x.json`, /localhostProfile/),
  set(`${CSC}.procMount=Unmasked`, at(CSC, 'procMount')),
  set(`${CSC}.seLinuxOptions.type=spc_t`, /seLinuxOptions/),
  set(`${CSC}.windowsOptions.hostProcess=true`, /windowsOptions/),
  set(`${PSC}.sysctls[0].name=kernel.msgmax`, /sysctls/),
  set(`${PSC}.hostPID=true`, /hostPID/),
  set('hostNetwork=true', /hostNetwork/),
  set(`${CSC}.readOnlyRootFilesystem=false`, at(CSC, 'readOnlyRootFilesystem'), /true/),
  file('a security context that is a string', `${CSC}: privileged\n`, at(CSC), /object/),
  file('a pod security context that is a list', `${PSC}: []\n`, at(PSC), /object/),
  file('privileged in a values file', `${CSC}:\n  privileged: true\n  capabilities:\n    add: [SYS_ADMIN, NET_ADMIN]\n`, at(CSC, 'privileged')),
  file('an explicitly empty drop list', `${CSC}:\n  capabilities:\n    drop: []\n`, at(CSC, 'capabilities', 'drop')),
  set(`podLabels.${esc('app.kubernetes.io/name')}=other`, at('podLabels', 'app.kubernetes.io/name')),
  set(`podLabels.${esc('app.kubernetes.io/instance')}=other`, at('podLabels', 'app.kubernetes.io/instance')),
  set(`commonLabels.${esc('app.kubernetes.io/name')}=other`, at('commonLabels', 'app.kubernetes.io/name')),
  set(`commonLabels.${esc('app.kubernetes.io/instance')}=other`, at('commonLabels', 'app.kubernetes.io/instance')),
  set(`metrics.serviceMonitor.labels.${esc('app.kubernetes.io/name')}=other`, at('metrics', 'serviceMonitor', 'labels', 'app.kubernetes.io/name')),
  set(`podAnnotations.${esc(APPARMOR)}=unconfined`, at('podAnnotations', APPARMOR)),
  set(`podAnnotations.${esc(APPARMOR)}=runtime/default`, at('podAnnotations', APPARMOR)),
  set(`podAnnotations.${esc(SECCOMP_POD)}=unconfined`, at('podAnnotations', SECCOMP_POD)),
  set(`podAnnotations.${esc(SECCOMP_CONTAINER)}=unconfined`, at('podAnnotations', SECCOMP_CONTAINER)),
  file('an AppArmor annotation in a values file', `podAnnotations:\n  ${APPARMOR}: unconfined\n`, at('podAnnotations', APPARMOR)),
];

function argsOf(h: Hostile): string[] {
  return typeof h.args === 'function' ? h.args() : [...h.args];
}

/** `helm template` that must fail with the schema's message. */
function expectRefused(bin: HelmBinary, dir: string, args: string[], mentions: readonly RegExp[]): void {
  const r = helm(bin, ['template', 'web', dir, ...KUBE_VERSION_ARGS, ...args]);
  const out = r.stderr + r.stdout;
  expect(r.status, `${args.join(' ')} rendered:\n${r.stdout.slice(0, 400)}`).not.toBe(0);
  expect(out).toMatch(SCHEMA_ERROR);
  for (const m of mentions) expect(out, args.join(' ')).toMatch(m);
}

/** `helm template` that must succeed; returns the rendered objects (test hooks excluded). */
function rendered(bin: HelmBinary, dir: string, args: string[] = []): any[] {
  const r = helm(bin, ['template', 'web', dir, ...KUBE_VERSION_ARGS, ...args]);
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return parseStream(r.stdout).filter((o) => !isTestHook(o));
}

function violations(objects: readonly any[]): string[] {
  return objects.flatMap((o) => {
    const pod = podSpecOf(o);
    return pod ? restrictedViolations(pod, `${o.kind}/${o.metadata.name}`, { tokenChosen: tokenChosen(o) }) : [];
  });
}


const FUZZ_CASES = Number(process.env.SLIPWAY_FUZZ_CASES ?? 6);
const FUZZ_SEED = Number(process.env.SLIPWAY_FUZZ_SEED ?? 14);

/** Random values the schema must accept: every security field at a restricted-compatible setting. */
function randomValid(next: () => number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const id = () => 1 + Math.floor(next() * 65534);
  const seccomp = () => (next() < 0.5 ? { type: 'RuntimeDefault' } : { type: 'Localhost', localhostProfile: `profiles/p${id()}.json` });
  const uid = id();
  return {
    [PSC]: { runAsNonRoot: true, runAsUser: uid, runAsGroup: id(), fsGroup: Math.floor(next() * 65535), seccompProfile: seccomp(), ...(next() < 0.5 ? { supplementalGroups: [id()] } : {}) },
    [CSC]: {
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: uid,
      capabilities: { drop: pick([['ALL'], ['ALL', 'NET_RAW'], ['NET_RAW', 'ALL']]), ...(next() < 0.5 ? { add: ['NET_BIND_SERVICE'] } : {}) },
      ...(next() < 0.5 ? { seccompProfile: seccomp() } : {}),
    },
    podLabels: { [`k${id()}`]: `v${id()}`, 'app.kubernetes.io/part-of': 'shop' },
    podAnnotations: { [`example.com/a${id()}`]: pick(['unconfined', 'x', '{{ not a template }}']) },
    commonLabels: { [`c${id()}`]: 'x' },
  };
}

describe('the chart keeps the spec\'s promises (hostile values)', () => {
  const svc = loadSpecText(BASE, 'web.yaml')[0];
  const dir = writeChart(svc.model);

  it('has at least 35 hostile cases', () => expect(HOSTILE.length).toBeGreaterThanOrEqual(35));

  it('the spec renders restricted pods, and its schema names what it guarantees', () => {
    expect(violations(renderManifestObjects(svc.model))).toEqual([]);
  });

  describe.each(helmBinaries())('$name', (bin) => {
    it.each(HOSTILE.map((h) => [h.what, h] as const))('refuses %s', (_what, h) => {
      expectRefused(bin, dir, argsOf(h), h.mentions);
    });

    it('renders the defaults as restricted pods', () => {
      expect(violations(rendered(bin, dir))).toEqual([]);
    });

    it(`accepts ${FUZZ_CASES} random restricted values (seed ${FUZZ_SEED}) and refuses each with one hostile input added`, () => {
      const next = rng(FUZZ_SEED);
      for (let i = 0; i < FUZZ_CASES; i++) {
        const values = writeValues('valid.yaml', toYaml(randomValid(next)));
        expect(violations(rendered(bin, dir, ['-f', values])), `case ${i}`).toEqual([]);
        const h = HOSTILE[Math.floor(next() * HOSTILE.length)];
        expectRefused(bin, dir, ['-f', values, ...argsOf(h)], h.mentions);
      }
    });
  });
});

describe('the shipped charts and values files still render', () => {
  const charts = linkedExamples().map((s) => ({ name: s.model.name, model: s.model, dir: writeChart(s.model) }));
  describe.each(helmBinaries())('$name', (bin) => {
    it.each(charts.map((c) => [c.name, c] as const))('%s: defaults and every values-*.yaml', (_name, c) => {
      const files = readdirSync(c.dir).filter((f) => /^values-.*\.yaml$/.test(f));
      for (const args of [[], ...files.map((f) => ['-f', join(c.dir, f)])]) {
        const r = helm(bin, ['template', c.model.instance, c.dir, ...KUBE_VERSION_ARGS, ...args]);
        expect(r.status, `${c.name} ${args.join(' ')}: ${r.stderr}`).toBe(0);
        if (!c.model.pod.exceptions.length) expect(violations(parseStream(r.stdout).filter((o) => !isTestHook(o)))).toEqual([]);
      }
    });
  });
});

describe('a named exception opens exactly its field', () => {
  const bins = helmBinaries();
  const cases: { allow: string; extra: string; level: string; opens: string[][]; stillRefused: Hostile[] }[] = [
    {
      allow: 'runAsRoot', extra: '', level: 'baseline',
      opens: [['--set', `${PSC}.runAsNonRoot=false,${PSC}.runAsUser=0,${CSC}.runAsUser=0,${CSC}.runAsGroup=0`]],
      stillRefused: [HOSTILE[0], HOSTILE[12], HOSTILE[20], HOSTILE.find((h) => h.what.includes(`${esc(APPARMOR)}=unconfined`))!],
    },
    {
      allow: 'appArmorOverride', extra: `podAnnotations: { ${APPARMOR}: unconfined }\n`, level: 'privileged',
      opens: [['--set', `podAnnotations.${esc(APPARMOR)}=localhost/custom`]],
      stillRefused: [HOSTILE[0], HOSTILE[6], HOSTILE[20], HOSTILE.find((h) => h.what.includes(`${esc(SECCOMP_POD)}`))!],
    },
    {
      allow: 'seccompOverride', extra: `podAnnotations: { ${SECCOMP_POD}: unconfined }\n`, level: 'privileged',
      opens: [['--set', `${PSC}.seccompProfile.type=Unconfined`], ['--set', `podAnnotations.${esc(SECCOMP_CONTAINER)}=unconfined`]],
      stillRefused: [HOSTILE[0], HOSTILE[6], HOSTILE.find((h) => h.what.includes(`${esc(APPARMOR)}=unconfined`))!],
    },
  ];
  describe.each(cases)('$allow', (c) => {
    const svc = loadSpecText(withException(c.allow, c.extra), 'web.yaml')[0];
    const dir = writeChart(svc.model);
    it('is annotated in the output with its reason and the Pod Security level it needs', () => {
      const pod = renderManifestObjects(svc.model).find((o) => o.kind === 'Deployment').spec.template.metadata.annotations;
      expect(pod[`slipway.dev/security-exception.${c.allow.toLowerCase()}`]).toBe(`${c.allow}: the test needs exactly this opt-out`);
      expect(pod['slipway.dev/pod-security-level']).toBe(c.level);
    });
    it.each(bins)('with $name: the default renders, the opened field is accepted, the rest stays closed', (bin) => {
      rendered(bin, dir);
      for (const args of c.opens) rendered(bin, dir, args);
      for (const h of c.stillRefused) expectRefused(bin, dir, argsOf(h), h.mentions);
    });
  });
});

describe('the spec refuses the same keys, located', () => {
  const cases: [string, string, string][] = [
    ['an AppArmor profile', `${BASE.replace(/^podAnnotations:.*\n/m, '')}podAnnotations: { ${APPARMOR}: unconfined }\n`, `podAnnotations["${APPARMOR}"]: sets an AppArmor profile`],
    ['a pod seccomp alpha annotation', `${BASE.replace(/^podAnnotations:.*\n/m, '')}podAnnotations: { ${SECCOMP_POD}: unconfined }\n`, `podAnnotations["${SECCOMP_POD}"]: sets a seccomp profile`],
    ['a container seccomp alpha annotation', `${BASE.replace(/^podAnnotations:.*\n/m, '')}podAnnotations: { ${SECCOMP_CONTAINER}: runtime/default }\n`, `podAnnotations["${SECCOMP_CONTAINER}"]: sets a seccomp profile`],
    ['an AppArmor profile under the seccomp exception only', withException('seccompOverride', `podAnnotations: { ${APPARMOR}: unconfined }\n`), `podAnnotations["${APPARMOR}"]: sets an AppArmor profile`],
    ['a selector key in labels', BASE.replace('labels: { team: payments }', 'labels: { app.kubernetes.io/instance: other }'), 'labels["app.kubernetes.io/instance"]: is a selector label'],
    ['a selector key in the ServiceMonitor labels', BASE.replace('metrics: { port: metrics }', 'metrics: { port: metrics, serviceMonitorLabels: { app.kubernetes.io/name: other } }'), 'metrics.serviceMonitorLabels["app.kubernetes.io/name"]: is a selector label'],
    ['a selector key in podLabels', BASE.replace('podLabels: { tier: backend }', 'podLabels: { app.kubernetes.io/name: other }'), 'podLabels["app.kubernetes.io/name"]: is a selector label'],
  ];

  it.each(cases)('%s (in-process, with line and column)', (_what, spec, message) => {
    let err = '';
    try {
      loadSpecText(spec, 'web.yaml');
    } catch (e) {
      err = (e as Error).message;
    }
    expect(err).toMatch(new RegExp(`web\\.yaml:\\d+:\\d+: ${reEsc(message)}`));
  });

  describe('slipway validate', () => {
    beforeAll(() => buildOnce(), 180_000);
    it('exits 1 with every located error and the exception to add', () => {
      const dir = tempDir('chartpss');
      writeFileSync(join(dir, 'svc.yaml'), `${BASE.replace(/^podAnnotations:.*\n/m, '')}podAnnotations: { ${APPARMOR}: unconfined, ${SECCOMP_POD}: unconfined }\n`);
      const r = slipway(['validate', dir]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`svc\\.yaml:12:\\d+: podAnnotations\\["${reEsc(APPARMOR)}"\\]: .*allow: \\[appArmorOverride\\]`));
      expect(r.stderr).toMatch(new RegExp(`svc\\.yaml:12:\\d+: podAnnotations\\["${reEsc(SECCOMP_POD)}"\\]: .*allow: \\[seccompOverride\\]`));
      expect(existsSync(join(dir, 'dist'))).toBe(false);
    });
  });
});
