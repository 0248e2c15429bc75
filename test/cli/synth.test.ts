/** `slipway synth`: the examples, --stdout, atomic writes, bad input, threads, --package. */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { buildOnce, slipway, tempDir, copyExamples, exampleFiles, readTree, snapshot, leftovers, BASE } from './helpers';
import { loadSpecFile } from '../../src/spec/load';
import { synthFiles } from '../../src/app/synth';
import '../../src/artefacts';
import { STATE_FILE } from '../../src/cli/synth-state';

beforeAll(() => buildOnce(), 180_000);

/** What the library writes for the examples (the reference the CLI must equal). */
function libraryFiles(dir: string): Map<string, string> {
  return synthFiles(exampleFiles(dir).flatMap(loadSpecFile));
}

describe('slipway synth on the examples', () => {
  const specs = copyExamples();
  const out = join(tempDir('synth'), 'dist');
  let result: ReturnType<typeof slipway>;
  beforeAll(() => { result = slipway(['synth', specs, '-o', out]); }, 120_000);

  it('exits 0 and says what it wrote', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^synthesized \d+ services \(\d+ files\) into /);
  });

  it('writes manifests and a chart per service, byte-identical to the library pipeline', () => {
    const tree = readTree(out);
    // Besides the rendered files, the CLI keeps its incremental-synth state (test/cli/incremental.test.ts).
    expect(tree.get(STATE_FILE)).toMatch(/^# Written by `slipway synth`/);
    tree.delete(STATE_FILE);
    // ... and its ownership marker, which lists every file it wrote (test/cli/outdir-safety.test.ts).
    expect(tree.get('.slipway-owned')!.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([STATE_FILE, ...tree.keys()].filter((k) => k !== '.slipway-owned').sort((a, b) => (a < b ? -1 : 1)));
    tree.delete('.slipway-owned');
    const expected = libraryFiles(specs);
    expect([...tree.keys()]).toEqual([...expected.keys()].sort((a, b) => (a < b ? -1 : 1)));
    for (const [path, content] of expected) expect(tree.get(path), path).toBe(content);
    // Every workload gets manifests and a chart (a sidecar joins its host's pods and chart).
    const services = exampleFiles(specs).flatMap(loadSpecFile).filter((s) => s.model.workload.kind !== 'Sidecar');
    expect(services.length).toBeGreaterThan(0);
    for (const { model: m } of services) {
      expect([...tree.keys()].some((p) => p.startsWith(`${m.fullname}/chart/`) && p.endsWith('/Chart.yaml')), `${m.fullname} chart`).toBe(true);
      expect(tree.get(`${m.fullname}/manifests/${m.fullname}.k8s.yaml`), m.fullname).toMatch(/^kind: (Deployment|DaemonSet|StatefulSet|CronJob|Job)$/m);
    }
  });

  it('writes an image definition for services that declare a build, when the image renderer is registered', () => {
    const tree = readTree(out);
    const imageFiles = [...tree.keys()].filter((p) => /^[^/]+\/image\//.test(p));
    const withBuild = exampleFiles(specs).flatMap(loadSpecFile).filter((s) => s.spec.build).map((s) => s.model.fullname);
    if (imageFiles.length) for (const s of withBuild) expect(imageFiles.some((p) => p.startsWith(`${s}/image/`)), s).toBe(true);
  });

  it('--stdout prints the manifests files concatenated (one YAML stream, `---` between files)', () => {
    const r = slipway(['synth', specs, '--stdout']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const tree = readTree(out);
    const manifests = [...tree.keys()].filter((p) => /^[^/]+\/manifests\/[^/]+$/.test(p)).sort((a, b) => (a < b ? -1 : 1));
    expect(r.stdout).toBe(manifests.map((p) => tree.get(p)!).filter((c) => c !== '').join('---\n'));
    const docs = parseAllDocuments(r.stdout);
    expect(Array.isArray(docs) && docs.every((d) => d.errors.length === 0 && d.contents !== null)).toBe(true);
  });

  it('--stdout with -o writes the files too, and prints the same stream', () => {
    const out2 = join(tempDir('synth-both'), 'dist');
    const r = slipway(['synth', specs, '--stdout', '-o', out2]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(slipway(['synth', specs, '--stdout']).stdout);
    expect(r.stderr).toMatch(/^synthesized/); // the summary goes to stderr: stdout is YAML only
    expect(readTree(out2)).toEqual(readTree(out));
  });

  it('is deterministic, and threads do not change a byte', () => {
    const a = join(tempDir('synth-j1'), 'dist');
    const b = join(tempDir('synth-j2'), 'dist');
    expect(slipway(['synth', specs, '-o', a, '--jobs', '1']).status).toBe(0);
    expect(slipway(['synth', specs, '-o', b, '--jobs', '3']).status).toBe(0);
    expect(readTree(a)).toEqual(readTree(out));
    expect(readTree(b)).toEqual(readTree(out));
  });

  it('writes a fleet identically through the writer thread (one thread) and worker threads', () => {
    const fleet = tempDir('fleet');
    for (let i = 0; i < 16; i++) writeFileSync(join(fleet, `s${i}.yaml`), BASE.replace('name: web', `name: web${i}`));
    const a = join(tempDir('fleet-j1'), 'dist');
    const b = join(tempDir('fleet-j4'), 'dist');
    expect(slipway(['synth', fleet, '-o', a, '-j', '1']).status).toBe(0); // >= 200 files: writer thread
    expect(slipway(['synth', fleet, '-o', b, '-j', '4']).status).toBe(0);
    const tree = readTree(a);
    expect(tree.size).toBeGreaterThanOrEqual(200);
    expect(readTree(b)).toEqual(tree);
    const stream = slipway(['synth', fleet, '--stdout']).stdout;
    expect(stream).toBe([...tree.keys()].filter((p) => p.includes('/manifests/')).map((p) => tree.get(p)).join('---\n'));
  }, 60_000);

  it('replaces the output directory as a whole (files of services it no longer renders go)', () => {
    const dir = join(tempDir('synth-replace'), 'dist');
    const gone = tempDir('synth-gone');
    writeFileSync(join(gone, 'old-service.yaml'), BASE.replace('name: web', 'name: old-service'));
    expect(slipway(['synth', gone, '-o', dir]).status).toBe(0);
    expect(existsSync(join(dir, 'old-service'))).toBe(true);
    expect(slipway(['synth', specs, '-o', dir], { env: { SLIPWAY_SYNC_CLEANUP: '1' } }).status).toBe(0);
    expect(existsSync(join(dir, 'old-service'))).toBe(false);
    expect(readTree(dir)).toEqual(readTree(out));
    expect(readdirSync(join(dir, '..'))).toEqual(['dist']);
  });

  it('accepts single files as well as directories, also after `--` (as argocd/plugin.yaml calls it)', () => {
    const file = exampleFiles(specs)[0];
    const r = slipway(['synth', file, '--stdout']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('kind: ');
    expect(slipway(['synth', '--stdout', '--', file]).stdout).toBe(r.stdout);
  });

  it('refuses an output directory that holds the specs (it would be replaced)', () => {
    const r = slipway(['synth', specs, '-o', join(specs, '..')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/may not contain the spec file/);
  });
});

/** A sidecar declaration whose host is in no spec of the run (a link problem, found after loading). */
const SIDECAR_WITHOUT_HOST = 'name: side\nversion: 1.0.0\nimage: { repository: acme/side }\nworkload: { kind: Sidecar, sidecar: { host: nope } }\n';

describe('slipway synth with bad specs: precise error, exit 2, output untouched', () => {
  const cases: [string, string, RegExp][] = [
    ['malformed YAML', 'name: web\nimage: [unclosed\n', /svc\.yaml:3:1: YAML syntax: /],
    ['an unknown field', `${BASE}helth: { http: { path: /h } }\n`, /svc\.yaml:5:1: helth: unknown field; did you mean "health"\?/],
    ['a wrong type', `${BASE}replicas: three\n`, /svc\.yaml:5:11: replicas: must be integer \(got "three"\)/],
    ['a probe on an undeclared port', `${BASE}health: { grpc: { port: 9090 } }\n`, /svc\.yaml:5:25: health\.grpc\.port: targets port 9090, which the container does not declare/],
    ['a missing required field', 'name: web\nversion: "1"\n', /svc\.yaml:1:1: missing required field "image"/],
    ['an alias without an anchor', `${BASE}replicas: *two\n`, /svc\.yaml:5:11: YAML alias \*two has no anchor before it/],
    ['a sidecar whose host is not in the run', SIDECAR_WITHOUT_HOST, /svc\.yaml:4:45: workload\.sidecar\.host: "nope" is not a service of this run/],
  ];

  for (const [what, spec, message] of cases) {
    it(what, () => {
      const base = tempDir('bad');
      const specs = join(base, 'specs');
      mkdirSync(specs);
      writeFileSync(join(specs, 'ok.yaml'), BASE.replace('name: web', 'name: fine'));
      const out = join(base, 'dist');
      expect(slipway(['synth', specs, '-o', out]).status).toBe(0);
      const before = snapshot(out);
      writeFileSync(join(specs, 'svc.yaml'), spec);
      const r = slipway(['synth', specs, '-o', out]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/nothing was written/);
      expect(r.stdout).toBe('');
      expect(snapshot(out)).toEqual(before);
      expect(leftovers(out)).toEqual([]);
    });
  }

  it('locates a link problem found across threads, and diff reports it the same way (exit 2)', () => {
    const specs = tempDir('bad-link');
    writeFileSync(join(specs, 'a.yaml'), BASE);
    writeFileSync(join(specs, 'svc.yaml'), SIDECAR_WITHOUT_HOST);
    const message = /svc\.yaml:4:45: workload\.sidecar\.host: "nope" is not a service of this run/;
    for (const args of [['synth', specs, '--stdout', '--jobs', '2'], ['diff', specs, '-o', join(specs, '..', 'out'), '--jobs', '2']]) {
      const r = slipway(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.stdout).toBe('');
    }
  });

  it('reports the problems of every file, not just the first', () => {
    const specs = tempDir('bad-many');
    writeFileSync(join(specs, 'a.yaml'), `${BASE}replicas: three\n`);
    writeFileSync(join(specs, 'b.yaml'), `${BASE.replace('name: web', 'name: other')}helth: {}\n`);
    const r = slipway(['synth', specs, '--stdout']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/a\.yaml:5:11: replicas/);
    expect(r.stderr).toMatch(/b\.yaml:5:1: helth/);
    expect(r.stdout).toBe('');
  });

  it('two files rendering the same service is an error', () => {
    const specs = tempDir('dup');
    writeFileSync(join(specs, 'a.yaml'), BASE);
    writeFileSync(join(specs, 'b.yaml'), BASE);
    const r = slipway(['synth', specs, '--stdout']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/b\.yaml:1:7: name: renders as "web", as a service in .*a\.yaml does/);
  });

  it('the same holds when worker threads load the files', () => {
    const base = tempDir('bad-threads');
    const specs = join(base, 'specs');
    mkdirSync(specs);
    for (let i = 0; i < 6; i++) writeFileSync(join(specs, `s${i}.yaml`), BASE.replace('name: web', `name: web${i}`));
    const out = join(base, 'dist');
    expect(slipway(['synth', specs, '-o', out, '-j', '3']).status).toBe(0);
    const before = snapshot(out);
    writeFileSync(join(specs, 's5.yaml'), `${BASE.replace('name: web', 'name: web5')}replicas: three\n`);
    const r = slipway(['synth', specs, '-o', out, '-j', '3']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/s5\.yaml:5:11: replicas: must be integer/);
    expect(snapshot(out)).toEqual(before);
  });
});

describe('slipway synth --package', () => {
  it('packages each chart next to it with helm (or says why not)', () => {
    const specs = tempDir('pkg');
    writeFileSync(join(specs, 'web.yaml'), BASE);
    const out = join(tempDir('pkg-out'), 'dist');
    const r = slipway(['synth', specs, '-o', out, '--package']);
    expect(r.status).toBe(0);
    const archives = [...readTree(out).keys()].filter((p) => p.endsWith('.tgz'));
    if (r.stderr.includes('--package skipped')) expect(archives).toEqual([]);
    else expect(archives).toEqual(['web/chart/web-0.1.0.tgz']); // chart version: chart.version, default 0.1.0 (not the app version)
    expect(readFileSync(join(out, 'web', 'manifests', 'web.k8s.yaml'), 'utf8')).toContain('kind: Deployment');
  }, 60_000);
});
