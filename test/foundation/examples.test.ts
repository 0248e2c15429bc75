import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { exampleServices, loadExamples, objectsOf, ROOT } from '../support/examples';
import { validateK8sObject, isCoreKind } from '../support/k8s-schema';
import { restrictedViolations, podSpecOf, tokenChosen } from '../support/pss';
import { synthFiles } from '../../src/app/synth';
import '../../src/artefacts';

const services = exampleServices();

describe('examples', () => {
  it('cover the stories', () => {
    const names = services.map((s) => s.model.name);
    expect(names).toEqual(expect.arrayContaining(['ghillie', 'ollama-openai-proxy', 'cloud-optimizer', 'websocket-gateway']));
  });

  // An attached sidecar renders no objects of its own: its host's output holds them.
  for (const svc of services.filter((s) => !s.model.sidecarOf)) {
    describe(svc.model.fullname, () => {
      const objects = objectsOf(svc);

      it('validates strictly against the Kubernetes 1.28 schema', () => {
        const core = objects.filter(isCoreKind);
        expect(core.length).toBeGreaterThan(0);
        expect(core.flatMap(validateK8sObject)).toEqual([]);
      });

      it('meets Pod Security Standards restricted on every pod, unless a named exception is annotated', () => {
        for (const o of objects) {
          const pod = podSpecOf(o);
          if (!pod) continue;
          const annotations = (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template).metadata.annotations ?? {};
          const excepted = Object.keys(annotations).some((k) => k.startsWith('slipway.dev/security-exception.'));
          if (!excepted) expect(restrictedViolations(pod, `${o.kind}/${o.metadata.name}`, { tokenChosen: tokenChosen(o) })).toEqual([]);
        }
      });

      it('selects pods by name + instance only and labels every object', () => {
        // Objects of an attached sidecar (its ConfigMaps, Secrets) carry the sidecar's name and version.
        const models = [svc.model, ...(svc.model.sidecars ?? [])];
        for (const o of objects) {
          const owner = models.find((m) => m.name === o.metadata.labels['app.kubernetes.io/name']);
          expect(owner, `${o.kind}/${o.metadata.name}`).toBeDefined();
          expect(o.metadata.labels['app.kubernetes.io/instance']).toBe(svc.model.instance);
          expect(o.metadata.labels['app.kubernetes.io/managed-by']).toBe('slipway');
          expect(o.metadata.labels['app.kubernetes.io/version']).toBe(owner!.version);
          expect(o.metadata.name.startsWith(svc.model.fullname)).toBe(true);
          const selector = o.spec?.selector?.matchLabels ?? (o.kind === 'Service' ? o.spec.selector : undefined);
          if (selector) expect(selector).toEqual({ 'app.kubernetes.io/name': svc.model.name, 'app.kubernetes.io/instance': svc.model.instance });
        }
      });

      it('is deterministic', () => {
        expect(JSON.stringify(objectsOf(svc))).toBe(JSON.stringify(objects));
      });
    });
  }
});

describe('dist/', () => {
  it('is up to date with the examples (run `npx cdk8s synth` and commit dist/)', () => {
    const expected = synthFiles(loadExamples());
    const dist = join(ROOT, 'dist');
    const onDisk = new Map<string, string>();
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (relative(dist, p) !== '.slipway-owned') onDisk.set(relative(dist, p), readFileSync(p, 'utf8'));
      }
    };
    walk(dist);
    expect([...onDisk.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, content] of expected) expect(onDisk.get(path), path).toBe(content);
    // Slipway's ownership marker lists exactly these files (so the next synth may replace them).
    expect(readFileSync(join(dist, '.slipway-owned'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([...expected.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});
