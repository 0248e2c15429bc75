/**
 * User data that looks like a template (`{{ .Values.x }}`) or like another YAML type (`on`,
 * `0o14`, `1e3`) renders literally: escaped in templates, quoted in values.yaml.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSpecText } from '../../src/spec/load';
import { renderManifestObjects } from '../../src/app/manifests';
import { helmBinaries } from '../support/helm';
import { byKindName, template, writeChart } from './fixture';

const SPEC = `name: echo
version: 2.0.0
image: { repository: acme/echo }
command: [/echo]
args: ["--greeting={{ .Values.x }}", "{{", "}}", "{{- trim -}}", "on", "1e3"]
ports: [{ name: http, containerPort: 8080 }]
health:
  http: { path: "/healthz", port: http, headers: { X-Template: "{{ .Release.Name }}" } }
  readiness: { http: { path: /ready } }
podAnnotations:
  note: "{{ not a template }}"
config:
  env:
    TEMPLATE: "{{ .Values.x }}"
    "ON": "on"
    OCTAL: "0o14"
    FLOAT: "1e3"
    HTML: "a<b>&c"
  files:
    app.conf: "greeting = {{ .Release.Name }}\\n  indented\\n\\ntrailing spaces   \\n\\n"
    unicode.txt: "héllo ✓\\ttab"
`;

const svc = loadSpecText(SPEC, 'echo.yaml')[0];
const dir = writeChart(svc.model);
const expected = byKindName(renderManifestObjects(svc.model));

describe.each(helmBinaries())('literal data ($name)', (bin) => {
  const rendered = byKindName(template(bin, svc.model.instance, dir));

  it('renders exactly the manifests', () => {
    expect(Object.keys(rendered).sort()).toEqual(Object.keys(expected).sort());
    for (const key of Object.keys(expected)) expect(rendered[key], key).toEqual(expected[key]);
  });

  it('keeps {{ ... }} literal in config, args, headers and annotations', () => {
    const cm = rendered['ConfigMap/echo-env'];
    expect(cm.data.TEMPLATE).toBe('{{ .Values.x }}');
    expect(cm.data.ON).toBe('on');
    expect(rendered['ConfigMap/echo-files'].data['app.conf']).toBe('greeting = {{ .Release.Name }}\n  indented\n\ntrailing spaces   \n\n');
    const pod = rendered['Deployment/echo'].spec.template;
    expect(pod.metadata.annotations.note).toBe('{{ not a template }}');
    const c = pod.spec.containers[0];
    expect(c.args).toEqual(['--greeting={{ .Values.x }}', '{{', '}}', '{{- trim -}}', 'on', '1e3']);
    expect(c.livenessProbe.httpGet.httpHeaders).toEqual([{ name: 'X-Template', value: '{{ .Release.Name }}' }]);
  });
});

describe('chart files', () => {
  it('escape literal {{ in templates and quote ambiguous strings in values.yaml', () => {
    const deployment = readFileSync(join(dir, 'templates', 'deployment.yaml'), 'utf8');
    expect(deployment).toContain('"--greeting={{ "{{" }} .Values.x }}"');
    const values = readFileSync(join(dir, 'values.yaml'), 'utf8');
    expect(values).toContain('"ON": "on"');
    expect(values).toContain('OCTAL: "0o14"');
  });
});
