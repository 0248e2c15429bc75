/**
 * The four static checkers (real binaries from bootstrap-tools.sh) run on one YAML file, their
 * output reduced to a list of findings. A finding is anything a checker does not pass: kube-linter
 * reports, kube-score grades below "OK" (warnings included), Polaris failures of any severity,
 * kubeconform results other than valid. Configuration lives in test/cluster/checkers/ and is
 * explained in docs/cluster-tests.md; the only other exemptions are those Slipway annotates.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TOOLS_BIN } from '../controlplane';
import type { K8sObject } from './examples';
import { explain, run } from './run';

export const CHECKERS_DIR = path.resolve(__dirname, '..', 'checkers');
export const KUBECONFORM_SCHEMAS = path.join(TOOLS_BIN, '..', 'share', 'kubeconform-schemas');

export interface Finding {
  readonly checker: 'kube-linter' | 'kube-score' | 'polaris' | 'kubeconform';
  /** `Kind/name` (plus `container` for container-level results). */
  readonly object: string;
  readonly check: string;
  readonly message: string;
}

export const format = (f: Finding) => `${f.checker}: ${f.object}: ${f.check}: ${f.message}`;

/** Flags from checkers/kube-score.flags (one per line, `#` comments). */
function kubeScoreFlags(): string[] {
  return fs.readFileSync(path.join(CHECKERS_DIR, 'kube-score.flags'), 'utf8').split('\n')
    .map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function parse(tool: string, args: string[], r: { code: number; stdout: string; stderr: string }): Json {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`${tool} did not print JSON\n${explain(tool, args, r)}`);
  }
}

export async function kubeLinter(file: string): Promise<Finding[]> {
  const args = ['lint', '--config', path.join(CHECKERS_DIR, 'kube-linter.yaml'), '--format', 'json', file];
  const r = await run('kube-linter', args);
  const out = parse('kube-linter', args, r);
  const findings: Finding[] = (out.Reports ?? []).map((x: Json) => ({
    checker: 'kube-linter', check: x.Check,
    object: `${x.Object?.K8sObject?.GroupVersionKind?.Kind}/${x.Object?.K8sObject?.Name}`,
    message: x.Diagnostic?.Message ?? '',
  }));
  // exit 1 = lint errors found; anything else non-zero is a crash.
  if (r.code !== 0 && !(r.code === 1 && findings.length)) throw new Error(explain('kube-linter', args, r));
  return findings;
}

export async function kubeScore(file: string): Promise<Finding[]> {
  const args = ['score', '--output-format', 'json', ...kubeScoreFlags(), file];
  const r = await run('kube-score', args);
  const out: Json[] = parse('kube-score', args, r);
  const findings: Finding[] = [];
  for (const o of out) {
    for (const c of o.checks ?? []) {
      if (c.skipped || c.grade >= 10) continue; // 10 = OK; 7 almost OK, 5 warning, 1 critical
      const comments: Json[] = c.comments ?? [];
      findings.push({
        checker: 'kube-score', check: c.check.id, object: `${o.type_meta?.kind}/${o.object_meta?.name ?? o.object_name}`,
        message: `grade ${c.grade}: ${comments.map((x) => `${x.path ? `(${x.path}) ` : ''}${x.summary}`).join('; ') || c.check.name}`,
      });
    }
  }
  // kube-score exits 1 when something is critical (and 0 otherwise, even with warnings).
  if (r.code !== 0 && !(r.code === 1 && findings.length)) throw new Error(explain('kube-score', args, r));
  return findings;
}

export async function polaris(file: string): Promise<Finding[]> {
  // --audit-path takes a directory (or file); keep it to this one file.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slipway-polaris-'));
  fs.copyFileSync(file, path.join(dir, path.basename(file)));
  const args = ['audit', '--config', path.join(CHECKERS_DIR, 'polaris.yaml'), '--merge-config',
    '--audit-path', dir, '--format', 'json', '--set-exit-code-on-danger'];
  try {
    const r = await run('polaris', args);
    const out = parse('polaris', args, r);
    const findings: Finding[] = [];
    const add = (object: string, results: Record<string, Json> | undefined) => {
      for (const [id, x] of Object.entries(results ?? {})) {
        if (!x.Success) findings.push({ checker: 'polaris', object, check: id, message: `${x.Severity}: ${x.Message}` });
      }
    };
    for (const res of out.Results ?? []) {
      const obj = `${res.Kind}/${res.Name}`;
      add(obj, res.Results);
      add(obj, res.PodResult?.Results);
      for (const c of res.PodResult?.ContainerResults ?? []) add(`${obj} container ${c.Name}`, c.Results);
    }
    // exit 3 = danger-level findings (--set-exit-code-on-danger).
    if (r.code !== 0 && !(r.code === 3 && findings.length)) throw new Error(explain('polaris', args, r));
    return findings;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function kubeconform(file: string, expectedObjects: number): Promise<Finding[]> {
  const args = ['-strict', '-verbose', '-output', 'json', '-kubernetes-version', '1.28.0',
    '-schema-location', path.join(KUBECONFORM_SCHEMAS, '{{ .ResourceKind }}{{ .KindSuffix }}.json'), file];
  const r = await run('kubeconform', args);
  const out = parse('kubeconform', args, r);
  const resources: Json[] = out.resources ?? [];
  const findings: Finding[] = resources.filter((x) => x.status !== 'statusValid').map((x) => ({
    checker: 'kubeconform', object: `${x.kind}/${x.name}`, check: x.status, message: x.msg ?? '',
  }));
  if (resources.length !== expectedObjects) {
    findings.push({ checker: 'kubeconform', object: path.basename(file), check: 'count',
      message: `validated ${resources.length} resources, the file has ${expectedObjects}` });
  }
  if (r.code !== 0 && !findings.length) throw new Error(explain('kubeconform', args, r));
  return findings;
}

// ---- exemptions --------------------------------------------------------------------------------

/** Where Slipway explains a kube-score or Polaris exemption (their own annotations hold no reason). */
export const REASON_PREFIX = 'slipway.dev/exemption.';
const KUBE_LINTER_PREFIX = 'ignore-check.kube-linter.io/';
const POLARIS_EXEMPT = /^polaris\.fairwinds\.com\/(.+)-exempt$/;

export interface Exemption { readonly object: string; readonly checker: string; readonly check: string; readonly reason?: string }

/**
 * Every checker exemption annotated on an object (metadata or pod template) with its reason:
 *   kube-linter  ignore-check.kube-linter.io/<check>: "<reason>"
 *   kube-score   kube-score/ignore: "<check>[,<check>]"  + slipway.dev/exemption.<check>: "<reason>"
 *   Polaris      polaris.fairwinds.com/<check>-exempt: "true" + slipway.dev/exemption.<check>: "<reason>"
 * `polaris.fairwinds.com/exempt` (everything) is reported with check "*" and never accepted.
 */
export function exemptionsIn(objects: K8sObject[]): Exemption[] {
  const out: Exemption[] = [];
  for (const o of objects) {
    const object = `${o.kind}/${o.metadata.name}`;
    for (const annotations of [o.metadata.annotations, o.spec?.template?.metadata?.annotations]) {
      const a: Record<string, string> = annotations ?? {};
      const reason = (check: string) => a[`${REASON_PREFIX}${check}`]?.trim() || undefined;
      for (const [k, v] of Object.entries(a)) {
        if (k.startsWith(KUBE_LINTER_PREFIX)) {
          out.push({ object, checker: 'kube-linter', check: k.slice(KUBE_LINTER_PREFIX.length), reason: String(v).trim() || undefined });
        } else if (k === 'kube-score/ignore') {
          for (const check of String(v).split(',').map((s) => s.trim()).filter(Boolean)) {
            out.push({ object, checker: 'kube-score', check, reason: reason(check) });
          }
        } else if (k === 'polaris.fairwinds.com/exempt') {
          out.push({ object, checker: 'polaris', check: '*' });
        } else {
          const m = POLARIS_EXEMPT.exec(k);
          if (m) out.push({ object, checker: 'polaris', check: m[1], reason: reason(m[1]) });
        }
      }
    }
  }
  return out;
}

/** Exemptions without a usable reason (at least 10 characters) or exempting everything. */
export function unexplained(exemptions: Exemption[]): Exemption[] {
  return exemptions.filter((e) => e.check === '*' || !e.reason || e.reason.length < 10 || e.reason === 'true');
}
