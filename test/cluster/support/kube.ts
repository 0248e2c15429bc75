/**
 * Cluster-side helpers for the e2e suites: namespaces with Pod Security labels, the shared CRDs,
 * placeholder Secrets/ServiceAccounts for what the output only references, rollout waits and a
 * "what is left" listing. All go through the real kubectl against the suite's kubeconfig.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CRDS_DIR, REPO_CRDS_DIR, parseObjects, referencedSecrets, referencedServiceAccounts, type K8sObject, type PodSecurityLevel } from './examples';
import { explain, run, eventually, type RunResult } from './run';
import { volumesFor } from './volumes';

/** Label put on every namespace the suite creates (cleanup on a long-lived kind cluster). */
export const E2E_LABEL = 'slipway.dev/e2e';

export class Kube {
  constructor(readonly kubeconfig: string) {}

  kubectl(args: string[], input?: string, timeoutMs?: number): Promise<RunResult> {
    return run('kubectl', [`--kubeconfig=${this.kubeconfig}`, ...args], { input, timeoutMs });
  }

  async kubectlOk(args: string[], input?: string, timeoutMs?: number): Promise<RunResult> {
    const r = await this.kubectl(args, input, timeoutMs);
    if (r.code !== 0) throw new Error(explain('kubectl', args, r));
    return r;
  }

  async getJson<T = K8sObject>(args: string[]): Promise<T> {
    return JSON.parse((await this.kubectlOk(['get', ...args, '-o', 'json'])).stdout) as T;
  }

  /** Helm (helm3 or helm4) against the same cluster. */
  helm(bin: 'helm3' | 'helm4', args: string[], timeoutMs?: number): Promise<RunResult> {
    return run(bin, [...args, '--kubeconfig', this.kubeconfig], { timeoutMs, env: helmEnv(bin) });
  }

  /** A namespace enforcing (and warning/auditing at) a Pod Security level. */
  async createNamespace(name: string, level: PodSecurityLevel): Promise<void> {
    const labels: Record<string, string> = { [E2E_LABEL]: 'true' };
    for (const mode of ['enforce', 'warn', 'audit']) {
      labels[`pod-security.kubernetes.io/${mode}`] = level;
      labels[`pod-security.kubernetes.io/${mode}-version`] = 'latest';
    }
    await this.kubectlOk(['apply', '--server-side', '--field-manager=slipway-e2e', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }));
  }

  deleteNamespace(name: string): Promise<RunResult> {
    return this.kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
  }

  private serverMinorP?: Promise<number>;
  /** The API server's minor version (28 for v1.28.15). */
  serverMinor(): Promise<number> {
    this.serverMinorP ??= this.kubectlOk(['version', '-o', 'json']).then((r) =>
      Number(/^v1\.(\d+)/.exec(JSON.parse(r.stdout).serverVersion?.gitVersion ?? '')?.[1] ?? 0));
    return this.serverMinorP;
  }

  /**
   * Applies every CRD in /work/shared/crds and test/crds (server-side: some are too big for client-side apply)
   * and waits until they are Established. `selectableFields` (CRD field selectors, Kubernetes
   * 1.30+; the ExternalSecret CRD has them) is dropped for older API servers, whose strict
   * server-side apply refuses the unknown field.
   */
  async installCrds(): Promise<string[]> {
    const minor = await this.serverMinor();
    const files = [CRDS_DIR, REPO_CRDS_DIR].flatMap((dir) => fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(dir, f)));
    const crds = files.flatMap((f) => parseObjects(fs.readFileSync(f, 'utf8'))).filter((o) => o.kind === 'CustomResourceDefinition');
    if (minor < 30) for (const c of crds) for (const v of c.spec.versions ?? []) delete v.selectableFields;
    await this.kubectlOk(['apply', '--server-side', '--force-conflicts', '--field-manager=slipway-e2e', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: crds }));
    const names = crds.map((o) => o.metadata.name);
    await this.kubectlOk(['wait', '--for=condition=Established', '--timeout=60s', ...names.map((n) => `crd/${n}`)]);
    return names;
  }

  /**
   * Creates what the output references but leaves to the user: existing Secrets (and ExternalSecret
   * targets) with dummy values for each referenced key, and ServiceAccounts it does not create.
   */
  async createPlaceholders(ns: string, objects: K8sObject[]): Promise<string[]> {
    const items: K8sObject[] = [];
    for (const [name, keys] of referencedSecrets(objects)) {
      const data: Record<string, string> = {};
      for (const k of keys.size ? keys : ['placeholder']) data[k] = `dummy-${k}`;
      items.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name, labels: { [E2E_LABEL]: 'placeholder' } }, type: 'Opaque', stringData: data });
    }
    for (const name of referencedServiceAccounts(objects)) {
      items.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, labels: { [E2E_LABEL]: 'placeholder' } }, automountServiceAccountToken: false });
    }
    if (items.length) {
      await this.kubectlOk(['apply', '-n', ns, '--server-side', '--field-manager=slipway-e2e', '-f', '-'],
        JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    }
    // Claims need volumes: without a default StorageClass (no provisioner), pre-bound PersistentVolumes.
    const volumes = volumesFor(ns, objects, { [E2E_LABEL]: 'placeholder' });
    if (volumes.length && !(await this.hasDefaultStorageClass())) {
      await this.kubectlOk(['apply', '--server-side', '--field-manager=slipway-e2e', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: volumes }));
      items.push(...volumes);
    }
    return items.map((o) => `${o.kind}/${o.metadata.name}`);
  }

  /** Whether a StorageClass is marked default (kind's "standard"); the local control plane has none. */
  async hasDefaultStorageClass(): Promise<boolean> {
    const r = await this.kubectl(['get', 'storageclass', '-o', 'json']);
    if (r.code !== 0) return false;
    return (JSON.parse(r.stdout).items ?? []).some((c: any) => c.metadata?.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
  }

  /** Waits until each workload's rollout is complete (all updated replicas available). */
  async waitRolledOut(ns: string, workloads: K8sObject[], timeoutS = 60): Promise<void> {
    for (const w of workloads) {
      const ref = `${w.kind.toLowerCase()}/${w.metadata.name}`;
      const r = await this.kubectl(['rollout', 'status', '-n', ns, ref, `--timeout=${timeoutS}s`], undefined, (timeoutS + 30) * 1000);
      if (r.code !== 0) throw new Error(`${ref} did not roll out in ${ns}\n${r.stderr}\n${await this.describe(ns)}`);
    }
  }

  /** pods, ReplicaSets, workloads and recent events of a namespace (for failure messages). */
  async describe(ns: string): Promise<string> {
    const r = await this.kubectl(['get', 'deploy,ds,rs,pods,jobs,events', '-n', ns, '-o', 'wide']);
    return `--- kubectl get deploy,ds,rs,pods,jobs,events -n ${ns}\n${r.stdout}${r.stderr}`;
  }

  private namespacedTypes?: Promise<string[]>;
  /** Every listable namespaced resource type the cluster serves (CRDs included). */
  listableNamespacedTypes(): Promise<string[]> {
    this.namespacedTypes ??= this.kubectlOk(['api-resources', '--namespaced=true', '--verbs=list,delete', '-o', 'name'])
      .then((r) => r.stdout.split('\n').map((s) => s.trim()).filter((s) => s && !/^events(\.events\.k8s\.io)?$/.test(s)));
    return this.namespacedTypes;
  }

  /** `kind.group/name` of every namespaced object carrying the label selector in `ns`. */
  async labelled(ns: string, selector: string): Promise<string[]> {
    const types = await this.listableNamespacedTypes();
    const r = await this.kubectlOk(['get', types.join(','), '-n', ns, '-l', selector, '-o', 'name', '--ignore-not-found']);
    return r.stdout.split('\n').map((s) => s.trim()).filter(Boolean).sort();
  }

  /** Waits until nothing labelled `selector` is left in `ns` (garbage collection is asynchronous). */
  async waitNothingLeft(ns: string, selector: string, timeoutMs = 60_000, expected: readonly string[] = []): Promise<void> {
    let left: string[] = [];
    const want = [...expected].sort().join('\n');
    await eventually(`nothing labelled ${selector} in ${ns}${expected.length ? ` but ${expected.join(', ')}` : ''}`, async () => {
      left = await this.labelled(ns, selector);
      return [...left].sort().join('\n') === want;
    }, timeoutMs, async () => `left behind:\n  ${left.join('\n  ')}`);
  }
}

/** Helm keeps its caches and config per binary so helm 3 and helm 4 never share state. */
function helmEnv(bin: string): Record<string, string> {
  const base = path.join(process.env.SLIPWAY_HELM_HOME ?? path.join(os.tmpdir(), 'slipway-helm'), bin);
  return {
    HELM_CACHE_HOME: path.join(base, 'cache'),
    HELM_CONFIG_HOME: path.join(base, 'config'),
    HELM_DATA_HOME: path.join(base, 'data'),
  };
}
