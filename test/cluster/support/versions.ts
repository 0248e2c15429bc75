/** The version of every real component the suite uses, printed once per run (global setup). */
import { kubectl } from '../controlplane';
import { versionOf } from './run';

export async function componentVersions(kubeconfig: string, local: boolean): Promise<[string, string][]> {
  const server = kubectl(kubeconfig, ['version', '-o', 'json']);
  let serverVersion = `(unknown: ${server.stderr.trim()})`;
  try {
    serverVersion = JSON.parse(server.stdout).serverVersion?.gitVersion ?? serverVersion;
  } catch { /* keep the error */ }
  const localOnly = async (bin: string, args: string[]) => (local ? versionOf(bin, args) : '(external cluster)');
  return [
    ['kube-apiserver (/version)', serverVersion],
    ['kube-controller-manager', await localOnly('kube-controller-manager', ['--version'])],
    ['kube-scheduler', await localOnly('kube-scheduler', ['--version'])],
    ['etcd', await localOnly('etcd', ['--version'])],
    ['kwok', await localOnly('kwok', ['--version'])],
    ['kubectl', await versionOf('kubectl', ['version', '--client'])],
    ['helm3', await versionOf('helm3', ['version', '--short'])],
    ['helm4', await versionOf('helm4', ['version', '--short'])],
    ['kube-linter', await versionOf('kube-linter', ['version'])],
    ['kube-score', await versionOf('kube-score', ['version'])],
    ['polaris', await versionOf('polaris', ['version'])],
    ['kubeconform', await versionOf('kubeconform', ['-v'])],
  ];
}
