/**
 * Argo CD's own manifest generation on the generated Applications: scripts/argocd-render runs the
 * repo-server's GenerateManifests (github.com/argoproj/argo-cd/v3, pinned in
 * scripts/bootstrap-tools.sh, with the helm that Argo CD release bundles) on a checkout, and the
 * ApplicationSet controller's GenerateApplications on an ApplicationSet. What Argo CD would sync
 * (every object but hooks without a sync phase, such as `helm.sh/hook: test`) must be the objects of
 * dist/<env>/<service>/manifests, for the committed example GitOps repository (chart sources), for
 * the same specs with `source: manifests` (directory sources), and for the ApplicationSet variant,
 * whose generated Applications must be the ones written without it.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadSpecText } from '../../src/spec/load';
import { synthFiles } from '../../src/app/synth';
import { toolPath } from '../support/tools';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'gitops-repo');
const SERVICES = ['api', 'worker'];
const TRACKING = 'argocd.argoproj.io/tracking-id';

interface Rendered {
  file: string;
  applicationSet?: string;
  application: any;
  sourceType: string;
  commands: string[] | null;
  manifests: { object: any; hook: boolean; phases: string[] }[];
}

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);
const key = (o: any) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`;
const byKey = (objs: any[]) => [...objs].sort((a, b) => key(a).localeCompare(key(b)));

/** Runs Argo CD's code (scripts/argocd-render) on Application/ApplicationSet files of a checkout. */
function argocdRender(repo: string, files: string[]): Rendered[] {
  const out = execFileSync(toolPath('argocd-render'), ['-repo', repo, ...files], { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out);
}

/** The YAML files under dir/argocd, relative to dir. */
function argoFiles(dir: string): string[] {
  return readdirSync(join(dir, 'argocd'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).sort().map((f) => join('argocd', f));
}

/** The objects of every YAML file directly in a manifests directory. */
function manifestsIn(dir: string): any[] {
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().flatMap((f) => docs(readFileSync(join(dir, f), 'utf8')));
}

/**
 * What Argo CD syncs of a rendered Application, with the tracking annotation it adds checked and
 * removed: every object except hooks that run in no sync phase.
 */
function synced(r: Rendered): any[] {
  const app = r.application.metadata.name;
  const ns = r.application.spec.destination.namespace;
  return r.manifests.filter((m) => !m.hook || m.phases.length).map(({ object }) => {
    const o = structuredClone(object);
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
    expect(o.metadata.annotations[TRACKING]).toBe(`${app}:${group}/${o.kind}:${o.metadata.namespace ?? ns}/${o.metadata.name}`);
    delete o.metadata.annotations[TRACKING];
    if (!Object.keys(o.metadata.annotations).length) delete o.metadata.annotations;
    return o;
  });
}

/** dist/<env>/<service>/manifests of an Application (by its environment label and file name). */
function expectedManifests(dist: string, r: Rendered): any[] {
  const env = r.application.metadata.labels['slipway.dev/environment'];
  return manifestsIn(join(dist, env, r.application.metadata.labels['app.kubernetes.io/instance'], 'manifests'));
}

/** The example's specs, with `extra` added under gitops.argocd, synthesized into a new checkout. */
function synthExample(extra: string, targetRevision = 'main'): string {
  const repo = mkdtempSync(join(tmpdir(), 'slipway-argocd-repo-'));
  const specs = SERVICES.flatMap((s) => {
    const text = readFileSync(join(EXAMPLE, 'services', `${s}.yaml`), 'utf8').replace('    targetRevision: main\n', `    targetRevision: ${JSON.stringify(targetRevision)}\n${extra}`);
    return loadSpecText(text, `${s}.yaml`);
  });
  for (const [path, content] of synthFiles(specs)) {
    const file = join(repo, 'dist', path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return repo;
}

describe('Argo CD repo-server manifest generation (argocd-render)', () => {
  const committed = argocdRender(EXAMPLE, argoFiles(join(EXAMPLE, 'dist')).map((f) => join('dist', f)));

  it('renders all twelve committed Applications of examples/gitops-repo from the chart with the environment\'s values file', () => {
    expect(committed.map((r) => r.application.metadata.name).sort()).toEqual([
      'api-dev-eu', 'api-dev-us', 'api-prod-eu', 'api-prod-us', 'api-staging-eu', 'api-staging-us',
      'worker-dev-eu', 'worker-dev-us', 'worker-prod-eu', 'worker-prod-us', 'worker-staging-eu', 'worker-staging-us',
    ]);
    for (const r of committed) {
      const env = r.application.metadata.labels['slipway.dev/environment'];
      const svc = r.application.metadata.labels['app.kubernetes.io/instance'];
      expect(r.sourceType).toBe('Helm');
      expect(r.commands).toHaveLength(1);
      expect(r.commands![0]).toMatch(new RegExp(`^helm template \\. --name-template ${svc} --namespace ${r.application.spec.destination.namespace} --kube-version 1\\.28\\.15 --values \\S+/dist/${svc}/chart/${svc}/values-${env}\\.yaml --include-crds$`));
    }
  });

  it('what Argo CD syncs of each is exactly dist/<env>/<service>/manifests', () => {
    for (const r of committed) expect(byKey(synced(r)), r.application.metadata.name).toEqual(byKey(expectedManifests(join(EXAMPLE, 'dist'), r)));
  });

  it('only the chart\'s helm test hooks are left out, and they run in no sync phase', () => {
    const skipped = committed.flatMap((r) => r.manifests.filter((m) => m.hook && !m.phases.length).map((m) => `${r.application.metadata.name} ${m.object.metadata.annotations['helm.sh/hook']}`));
    expect(skipped.filter((s) => s.startsWith('api-')).length).toBeGreaterThan(0);
    for (const s of skipped) expect(s).toMatch(/ test$/);
  });

  it('the app-of-apps (argocd/root.yaml, directory recurse over dist/argocd) syncs exactly the generated Applications', () => {
    const [root] = argocdRender(EXAMPLE, ['argocd/root.yaml']);
    expect(root.sourceType).toBe('Directory');
    const written = argoFiles(join(EXAMPLE, 'dist')).flatMap((f) => docs(readFileSync(join(EXAMPLE, 'dist', f), 'utf8')));
    expect(written).toHaveLength(12);
    expect(byKey(synced(root))).toEqual(byKey(written));
  });

  it('sync waves reach Argo CD: the ServiceAccount and ConfigMap sync in wave -1, before the workload (wave 0)', () => {
    const WAVE = 'argocd.argoproj.io/sync-wave';
    for (const r of committed) {
      const waves = Object.fromEntries(synced(r).map((o) => [o.kind, Number(o.metadata.annotations?.[WAVE] ?? 0)]));
      expect(waves, r.application.metadata.name).toMatchObject({ ServiceAccount: -1, ConfigMap: -1, Deployment: 0 });
    }
  });

  it('source: manifests: the repo-server reads the same objects from the directory', () => {
    const repo = synthExample('    source: manifests\n');
    const rendered = argocdRender(repo, argoFiles(join(repo, 'dist')).map((f) => join('dist', f)));
    expect(rendered).toHaveLength(12);
    for (const r of rendered) {
      expect(r.sourceType).toBe('Directory');
      expect(r.manifests.every((m) => !m.hook || m.phases.length)).toBe(true);
      expect(byKey(synced(r)), r.application.metadata.name).toEqual(byKey(expectedManifests(join(repo, 'dist'), r)));
    }
  });

  it('ApplicationSet: Argo CD\'s controller generates the committed Applications, which render the same', () => {
    const repo = synthExample('    applicationSet: true\n');
    expect(argoFiles(join(repo, 'dist'))).toEqual(['argocd/api.yaml', 'argocd/worker.yaml']);
    const rendered = argocdRender(repo, argoFiles(join(repo, 'dist')).map((f) => join('dist', f)));
    const strip = (a: any) => ({ apiVersion: a.apiVersion, kind: a.kind, metadata: a.metadata, spec: a.spec });
    const names = (rs: Rendered[]) => rs.map((r) => r.application.metadata.name).sort();
    expect(names(rendered)).toEqual(names(committed));
    for (const r of rendered) {
      const same = committed.find((c) => c.application.metadata.name === r.application.metadata.name)!;
      expect(r.applicationSet).toBe(r.application.metadata.labels['app.kubernetes.io/instance']);
      expect(strip(r.application)).toEqual(strip(docs(readFileSync(join(EXAMPLE, same.file), 'utf8')).find((a) => a.metadata.name === r.application.metadata.name)));
      expect(r.application.metadata.finalizers).toBeUndefined();
      expect(byKey(synced(r))).toEqual(byKey(expectedManifests(join(repo, 'dist'), r)));
    }
  });

  it('a hostile value reaches the generated Applications as data: exactly the string written, nothing else changed', () => {
    const hostile = 'main{{ .name }}" }\n{{ .destination.namespace }} evil: [x]';
    const repo = synthExample('    applicationSet: true\n', hostile);
    const rendered = argocdRender(repo, argoFiles(join(repo, 'dist')).map((f) => join('dist', f)));
    expect(rendered).toHaveLength(12);
    for (const r of rendered) {
      expect(r.application.spec.source.targetRevision).toBe(hostile);
      const same = committed.find((c) => c.application.metadata.name === r.application.metadata.name)!;
      expect({ ...r.application.spec, source: { ...r.application.spec.source, targetRevision: 'main' } }).toEqual(same.application.spec);
    }
  });

  it('a broken Application is an error naming the file and the Application', () => {
    const repo = synthExample('');
    const file = join(repo, 'dist', 'argocd', 'dev', 'api.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('path: dist/api/chart/api', 'path: ../../etc'));
    expect(() => argocdRender(repo, [relative(repo, file)])).toThrow(/dist\/argocd\/dev\/api\.yaml: Application api-dev-eu: .*outside root/);
  });
});
