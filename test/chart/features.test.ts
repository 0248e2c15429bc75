/**
 * Chart ≡ manifests beyond the examples: specs using every feature the renderer parameterizes
 * (secrets of all three sources, config files, several ports with dashed names, HTTPRoute, TLS
 * Ingress, metrics annotations, a migration, a DaemonSet with a named exception, common labels).
 * Default render and a second release equal the manifests; lint --strict passes with every
 * toggle on and off; every toggle combination stays valid against Kubernetes 1.28.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadSpecText, type LoadedService } from '../../src/spec/load';
import { renderManifestObjects } from '../../src/app/manifests';
import { helm, helmBinaries } from '../support/helm';
import { validateK8sObject, isCoreKind } from '../support/k8s-schema';
import { FEATURE_SPECS } from './feature-specs';
import { byKindName, setAll, template, toggleKeys, withInstance, writeChart, writeValues } from './fixture';

const SPECS = FEATURE_SPECS;

const services: LoadedService[] = Object.entries(SPECS).flatMap(([name, text]) => loadSpecText(text, `${name}.yaml`));

describe.each(helmBinaries())('feature charts ($name)', (bin) => {
  for (const svc of services) {
    const m = svc.model;
    describe(m.fullname, () => {
      const dir = writeChart(m);

      it('renders the manifests for the default release and for another one', () => {
        for (const [release, model] of [[m.instance, m], [`${m.instance}-b`, withInstance(svc, `${m.instance}-b`)]] as const) {
          const rendered = byKindName(template(bin, release, dir));
          const expected = byKindName(renderManifestObjects(model));
          expect(Object.keys(rendered).sort(), release).toEqual(Object.keys(expected).sort());
          for (const key of Object.keys(expected)) expect(rendered[key], `${release}: ${key}`).toEqual(expected[key]);
        }
      });

      it('passes lint --strict and the Kubernetes schema with every toggle on and off', () => {
        const toggles = toggleKeys(parse(readFileSync(join(dir, 'values.yaml'), 'utf8')));
        for (const value of [true, false]) {
          const file = writeValues('toggles.yaml', setAll(toggles, value));
          const r = helm(bin, ['lint', '--strict', dir, '-f', file]);
          expect(r.status, r.stdout + r.stderr).toBe(0);
          const objects = template(bin, m.instance, dir, ['-f', file]);
          expect(objects.filter(isCoreKind).flatMap(validateK8sObject)).toEqual([]);
        }
      });
    });
  }
});
