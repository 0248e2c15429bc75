/**
 * Values switch objects and fields: ingress.enabled adds the Ingress, autoscaling.enabled adds the
 * HPA and drops spec.replicas, config changes move the checksum annotation. Every combination of
 * toggles renders objects valid against the Kubernetes 1.28 schema.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { helmBinaries } from '../support/helm';
import { validateK8sObject, isCoreKind } from '../support/k8s-schema';
import { goJson } from '../../src/render/go-json';
import { linkedExamples, setAll, template, toggleKeys, writeChart, writeValues } from './fixture';

const ghillie = linkedExamples().find((s) => s.model.name === 'ghillie')!;
const m = ghillie.model;
const dir = writeChart(m);
const kinds = (objects: any[]) => objects.map((o) => o.kind).sort();
const deployment = (objects: any[]) => objects.find((o) => o.kind === 'Deployment');

describe.each(helmBinaries())('toggles ($name)', (bin) => {
  it('ingress.enabled=true adds an Ingress to the Service', () => {
    const off = template(bin, m.instance, dir);
    const on = template(bin, m.instance, dir, ['--set', 'ingress.enabled=true']);
    expect(kinds(off)).not.toContain('Ingress');
    expect(kinds(on)).toEqual([...kinds(off), 'Ingress'].sort());
    const ingress = on.find((o) => o.kind === 'Ingress');
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: m.fullname, port: { name: 'http' } });
  });

  it('--set ingress.hosts[0].host=x alone gets the spec\'s path defaults (/, Prefix, the first exposed port)', () => {
    const on = template(bin, m.instance, dir, ['--set', 'ingress.enabled=true', '--set', 'ingress.hosts[0].host=shop.example.com']);
    const ingress = on.find((o) => o.kind === 'Ingress');
    expect(ingress.spec.rules).toEqual([{
      host: 'shop.example.com',
      http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: m.fullname, port: { name: 'http' } } } }] },
    }]);
    expect(validateK8sObject(ingress)).toEqual([]);
  });

  it('an ingress path without pathType or port gets Prefix and the first exposed port; an empty host is refused', () => {
    const on = template(bin, m.instance, dir, ['--set', 'ingress.enabled=true', '--set', 'ingress.hosts[0].host=a.example.com', '--set', 'ingress.hosts[0].paths[0].path=/api']);
    expect(on.find((o) => o.kind === 'Ingress').spec.rules[0].http.paths[0]).toMatchObject({ path: '/api', pathType: 'Prefix', backend: { service: { port: { name: 'http' } } } });
    expect(() => template(bin, m.instance, dir, ['--set', 'ingress.hosts[0].host='])).toThrow(/ingress[./]hosts/);
  });

  it('autoscaling.enabled=true adds an HPA and removes spec.replicas', () => {
    const off = template(bin, m.instance, dir);
    expect(deployment(off).spec.replicas).toBe(2);
    const on = template(bin, m.instance, dir, ['--set', 'autoscaling.enabled=true']);
    expect(kinds(on)).toContain('HorizontalPodAutoscaler');
    expect(deployment(on).spec).not.toHaveProperty('replicas');
  });

  it('HPA metrics are values, not frozen: a memory target can be added and the cpu one dropped', () => {
    const hpa = (args: string[]) => template(bin, m.instance, dir, ['--set', 'autoscaling.enabled=true', ...args]).find((o) => o.kind === 'HorizontalPodAutoscaler');
    const names = (h: any) => h.spec.metrics.map((x: any) => `${x.resource.name}=${x.resource.target.averageUtilization}`);
    expect(names(hpa([]))).toEqual(['cpu=80']);
    const both = hpa(['--set', 'autoscaling.targetMemoryUtilizationPercentage=70']);
    expect(names(both)).toEqual(['cpu=80', 'memory=70']);
    expect(validateK8sObject(both)).toEqual([]);
    expect(names(hpa(['--set', 'autoscaling.targetMemoryUtilizationPercentage=70', '--set', 'autoscaling.targetCPUUtilizationPercentage=null']))).toEqual(['memory=70']);
    expect(() => hpa(['--set', 'autoscaling.targetMemoryUtilizationPercentage=0'])).toThrow(/targetMemoryUtilizationPercentage/);
  });

  it('a config.env change changes the config checksum, as the manifests compute it', () => {
    const before = deployment(template(bin, m.instance, dir)).spec.template.metadata.annotations['checksum/config'];
    const after = deployment(template(bin, m.instance, dir, ['--set-string', 'config.env.GHILLIE_LOG_LEVEL=DEBUG'])).spec.template.metadata.annotations['checksum/config'];
    expect(after).not.toBe(before);
    const env = { ...m.config.env, GHILLIE_LOG_LEVEL: 'DEBUG' };
    expect(after).toBe(createHash('sha256').update(goJson({ env, files: m.config.files })).digest('hex'));
  });

  it('serviceAccount.create=false drops the ServiceAccount and runs the pods as "default"', () => {
    const objects = template(bin, m.instance, dir, ['--set', 'serviceAccount.create=false']);
    expect(kinds(objects)).not.toContain('ServiceAccount');
    expect(deployment(objects).spec.template.spec.serviceAccountName).toBe('default');
  });

  for (const svc of linkedExamples()) {
    it(`${svc.model.fullname}: every toggle on / off renders objects valid against Kubernetes 1.28`, () => {
      const chart = writeChart(svc.model);
      const toggles = toggleKeys(parse(readFileSync(join(chart, 'values.yaml'), 'utf8')));
      for (const value of [true, false]) {
        const objects = template(bin, svc.model.instance, chart, ['-f', writeValues('toggles.yaml', setAll(toggles, value))]);
        expect(objects.filter(isCoreKind).flatMap(validateK8sObject)).toEqual([]);
      }
    });
  }
});
