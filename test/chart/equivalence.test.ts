/**
 * Chart ≡ manifests: for every example, `helm template <instance>` with the default values yields
 * exactly the manifests' objects (test hooks aside), with every real helm binary; and a second
 * release renders the manifests of that release name, with no object name in common.
 */
import { describe, expect, it } from 'vitest';
import { loadExamples, objectsOf } from '../support/examples';
import { renderManifestObjects } from '../../src/app/manifests';
import { helmBinaries } from '../support/helm';
import { byKindName, linkedExamples, template, withInstance, writeChart } from './fixture';

const run = loadExamples();
const services = linkedExamples();

describe.each(helmBinaries())('chart ≡ manifests ($name)', (bin) => {
  for (const svc of services) {
    const m = svc.model;
    describe(m.fullname, () => {
      const dir = writeChart(m);

      it(`helm template ${m.instance} yields the manifests' objects`, () => {
        const rendered = byKindName(template(bin, m.instance, dir));
        const expected = byKindName(objectsOf(svc));
        expect(Object.keys(rendered).sort()).toEqual(Object.keys(expected).sort());
        for (const key of Object.keys(expected)) expect(rendered[key], key).toEqual(expected[key]);
      });

      it('renders another release as that release\'s manifests, with no name in common', () => {
        const r2 = `${m.instance}-b`;
        const rendered = byKindName(template(bin, r2, dir));
        const expected = byKindName(renderManifestObjects(withInstance(run.find((s) => s.model.fullname === m.fullname)!, r2, run)));
        expect(Object.keys(rendered).sort()).toEqual(Object.keys(expected).sort());
        for (const key of Object.keys(expected)) expect(rendered[key], key).toEqual(expected[key]);
        const first = new Set(template(bin, m.instance, dir).map((o) => o.metadata.name));
        expect(Object.values(rendered).map((o) => o.metadata.name).filter((n) => first.has(n))).toEqual([]);
      });
    });
  }
});
