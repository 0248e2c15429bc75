/**
 * The synth renders each service once, in chart mode, and projects its manifests from that render
 * (Recorder.manifestJson). This holds the projection to the manifests-mode render that library
 * users get from `ServiceResources`: byte-identical YAML for the examples, the feature specs of
 * the chart tests, and specs that exercise each merge and condition of the recorder.
 */
import { describe, expect, it } from 'vitest';
import { loadSpecText } from '../../src/spec/load';
import { renderManifestObjects, manifestObjectsOf, toYamlStream } from '../../src/app/manifests';
import { renderChartObjects } from '../../src/render/chart-objects';
import type { ServiceModel } from '../../src/model/types';
import { exampleServices } from '../support/examples';
import { BASE } from '../support/render';
import { FEATURE_SPECS } from '../chart/feature-specs';

/** Specs where manifests mode and chart mode differ: merged defaults and fields that are off. */
const VARIANTS: Record<string, string> = {
  'hpa-on-with-annotations': `${BASE}autoscaling: { minReplicas: 2, maxReplicas: 6 }\npodAnnotations: { a.example.com/x: "1" }\npodLabels: { tier: web }\n`,
  'hpa-off-spread-off': `${BASE}replicas: 3\nspread: { enabled: false }\n`,
  'probes-partly-off': `${BASE}health: { http: { path: /h }, startup: { enabled: false }, liveness: { enabled: false } }\n`,
  'service-account-annotations': `${BASE}serviceAccount: { annotations: { eks.amazonaws.com/role-arn: "arn:aws:iam::1:role/web" } }\n`,
  'service-monitor-labels': `${BASE}ports: [{ name: http, containerPort: 8080 }, { name: metrics, containerPort: 9100 }]\nmetrics: { port: metrics, serviceMonitorLabels: { release: prom } }\n`.replace(/^ports: \[\{ name: http, containerPort: 8080 \}\]\n/m, ''),
  'metrics-annotations': `${BASE}metrics: { port: http, mode: annotations }\n`,
  'no-resources-no-pdb': `${BASE}resources: none\npdb: { enabled: false }\n`,
  // A patch over a field that is off by default, and one inside a merged map (both baked into the chart).
  'patch-over-condition-and-merge': `${BASE}spread: { enabled: false }\npodAnnotations: { a.example.com/x: "1" }\ninitContainers: [{ name: prep, command: ["true"] }]\npatches: [{ kind: Deployment, ops: [{ op: add, path: /spec/template/spec/topologySpreadConstraints, value: [{ maxSkew: 2, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: { matchLabels: { app.kubernetes.io/name: web } } }] }, { op: add, path: /spec/template/metadata/annotations/b.example.com~1y, value: "2" }] }]\n`,
};

function models(): [string, ServiceModel][] {
  const fromText = Object.entries({ ...FEATURE_SPECS, ...VARIANTS }).flatMap(([name, text]) => loadSpecText(text, `${name}.yaml`).map((s) => [name, s.model] as [string, ServiceModel]));
  return [...exampleServices().map((s) => [`example ${s.model.fullname}`, s.model] as [string, ServiceModel]), ...fromText];
}

describe('manifests projected from the chart-mode render', () => {
  for (const [name, model] of models()) {
    it(`${name}: equal, byte for byte, to the manifests-mode render`, () => {
      const projected = toYamlStream(manifestObjectsOf(renderChartObjects(model)));
      expect(projected).toBe(toYamlStream(renderManifestObjects(model)));
    });
  }

  it('the variants really differ between the modes (else this test would prove nothing)', () => {
    for (const [name, text] of Object.entries(VARIANTS)) {
      const [svc] = loadSpecText(text, `${name}.yaml`);
      const chartMode = toYamlStream(renderChartObjects(svc.model).objects.map((o) => o.toJson()));
      expect(chartMode, name).not.toBe(toYamlStream(renderManifestObjects(svc.model)));
    }
  });
});
