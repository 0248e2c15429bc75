/**
 * The chart's files: deterministic, documented (every values key has a `## @param` line and a
 * README row), Chart.yaml metadata, a PSS-restricted `helm test` hook, no non-deterministic
 * template functions, wired into the synth, and packageable with the real helm.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { restrictedViolations } from '../support/pss';
import { helmBinaries, helmOk } from '../support/helm';
import { renderChart } from '../../src/chart/render-chart';
import { packageChart } from '../../src/chart/package';
import { paramDocs } from '../../src/chart/readme';
import { synthFiles } from '../../src/app/synth';
import { loadExamples } from '../support/examples';
import '../../src/artefacts';
import { KUBE_VERSION_ARGS, linkedExamples, parseStream, writeChart } from './fixture';

const services = linkedExamples();
const synth = synthFiles(loadExamples());

/** Dotted keys of the leaves of a values object (maps under a documented key are one leaf). */
function documentedLeaves(values: Record<string, unknown>, documented: Set<string>, prefix = ''): string[] {
  return Object.entries(values).flatMap(([k, v]) => {
    const key = `${prefix}${k}`;
    if (!documented.has(key) && v && typeof v === 'object' && !Array.isArray(v)) return documentedLeaves(v as Record<string, unknown>, documented, `${key}.`);
    return [key];
  });
}

describe.each(services.map((s) => [s.model.fullname, s] as const))('%s chart', (_name, svc) => {
  const m = svc.model;
  const files = renderChart(m);
  const file = (path: string) => files[`${m.name}/${path}`];

  it('is deterministic', () => {
    expect(renderChart(m)).toEqual(files);
    expect(Object.keys(files)).toEqual([...Object.keys(files)].sort());
  });

  it('has Chart.yaml metadata', () => {
    // Chart version independent of appVersion; metadata and annotations: test/helmeco/chart-meta.test.ts.
    expect(parse(file('Chart.yaml'))).toMatchObject({
      apiVersion: 'v2', name: m.name, description: m.description, type: 'application',
      version: m.chart?.version ?? '0.1.0', appVersion: m.version, kubeVersion: '>=1.28.0-0', annotations: { 'slipway.dev/generated': 'true' },
    });
    expect(file('.helmignore')).toContain('.git/');
  });

  it('documents every values key with ## @param, and lists each in the README', () => {
    const docs = paramDocs(file('values.yaml'));
    const keys = new Set(docs.map((d) => d.key));
    expect(docs.every((d) => d.doc.length > 0)).toBe(true);
    expect(documentedLeaves(parse(file('values.yaml')), keys).filter((k) => !keys.has(k))).toEqual([]);
    for (const k of keys) expect(file('README.md')).toContain(`| \`${k}\` |`);
    expect(file('README.md')).toContain(`helm install ${m.instance} ./${m.name}`);
  });

  it('uses no non-deterministic template function', () => {
    for (const [path, text] of Object.entries(files)) {
      if (path.includes('/templates/')) expect(text, path).not.toMatch(/\b(rand\w*|lookup|now|uuidv4|genPrivateKey|genCA)\b/);
    }
  });

  it('ships dev/prod overlays for a Deployment only', () => {
    if (m.workload.kind !== 'Deployment') {
      expect(file('values-dev.yaml')).toBeUndefined();
      return;
    }
    expect(parse(file('values-dev.yaml'))).toEqual({ replicaCount: 1, autoscaling: { enabled: false }, pdb: { enabled: false } });
    const a = m.scaling.autoscaling;
    expect(parse(file('values-prod.yaml'))).toEqual({ autoscaling: { enabled: true, minReplicas: a.minReplicas, maxReplicas: a.maxReplicas }, pdb: { enabled: true }, topologySpread: { enabled: true } });
  });

  it('has a helm test hook Pod, PSS restricted, connecting to the Service (when there is one)', () => {
    const port = m.container.ports.find((p) => p.expose && p.protocol === 'TCP');
    if (!port || m.workload.kind === 'Sidecar') {
      expect(file('templates/tests/test-connection.yaml')).toBeUndefined();
      return;
    }
    const dir = writeChart(m);
    const [bin] = helmBinaries();
    const hooks = parseStream(helmOk(bin, ['template', m.instance, dir, ...KUBE_VERSION_ARGS, '--show-only', 'templates/tests/test-connection.yaml']));
    expect(hooks).toHaveLength(1);
    const pod = hooks[0];
    expect(pod.metadata.annotations['helm.sh/hook']).toBe('test');
    expect(restrictedViolations(pod.spec, 'test pod')).toEqual([]);
    expect(pod.spec.containers[0].resources.limits.memory).toBeDefined();
    const env = Object.fromEntries(pod.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect([env.TARGET_HOST, env.TARGET_PORT]).toEqual([m.fullname, String(port.servicePort)]);
  });

  it('is written by the synth under <fullname>/chart/<name>/ (an attached sidecar has none: its host\'s chart holds it)', () => {
    if (m.sidecarOf) {
      expect([...synth.keys()].filter((k) => k.startsWith(`${m.fullname}/`))).toEqual([]);
      return;
    }
    expect(synth.get(`${m.fullname}/chart/${m.name}/Chart.yaml`)).toBe(file('Chart.yaml'));
    expect(synth.get(`${m.fullname}/chart/${m.name}/templates/deployment.yaml`)).toBe(file('templates/deployment.yaml'));
  });
});

describe('packageChart', () => {
  it('runs helm package and returns the archive', () => {
    const svc = services[0];
    const out = mkdtempSync(join(tmpdir(), 'slipway-pkg-'));
    const archive = packageChart(writeChart(svc.model), out);
    expect(archive).toBe(join(out, `${svc.model.name}-${svc.model.chart?.version ?? '0.1.0'}.tgz`));
    expect(existsSync(archive)).toBe(true);
  });

  it('reports helm\'s error', () => {
    expect(() => packageChart(join(tmpdir(), 'no-such-chart-dir'), mkdtempSync(join(tmpdir(), 'slipway-pkg-')))).toThrow(/helm package .* failed/);
  });
});

describe('chart with a DaemonSet, no ports and no config', () => {
  it('is lint-clean: NOTES and tests only refer to declared values', async () => {
    const { loadSpecText } = await import('../../src/spec/load');
    const [svc] = loadSpecText('name: agent\nversion: 0.0.1\nimage: { repository: acme/agent }\nworkload: { kind: DaemonSet }\n', 'agent.yaml');
    const dir = writeChart(svc.model);
    for (const bin of helmBinaries()) helmOk(bin, ['lint', '--strict', dir]);
    expect(existsSync(join(dir, 'values-dev.yaml'))).toBe(false);
    expect(readFileSync(join(dir, 'templates', 'daemonset.yaml'), 'utf8')).toContain('kind: DaemonSet');
  });
});
