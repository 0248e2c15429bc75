/**
 * A PodDisruptionBudget must never block every voluntary eviction: a drain or a cluster upgrade
 * would hang on the service's pods. Such a budget is refused with what to change.
 */
import type { ServiceSpec } from '../spec/types';
import type { Problems } from './problems';

const BLOCKS = 'blocks every voluntary eviction (node drains and cluster upgrades would hang on these pods)';

/** Checks `pdb` against the replica count it protects (fixed replicas, or the HPA's minimum). */
export function checkPdb(spec: ServiceSpec, kind: string, replicas: number, problems: Problems): void {
  const pdb = spec.pdb;
  if (!pdb || pdb.enabled === false || (pdb.enabled === undefined && kind !== 'Deployment' && kind !== 'StatefulSet')) return;
  if (pdb.maxUnavailable === 0 || pdb.maxUnavailable === '0%') {
    problems.add(['pdb', 'maxUnavailable'], `is ${JSON.stringify(pdb.maxUnavailable)}: it ${BLOCKS}. Use maxUnavailable: 1 (the default) or more`);
  }
  const min = pdb.minAvailable;
  if (min === undefined) return;
  if (min === '100%') {
    problems.add(['pdb', 'minAvailable'], `is 100%: it ${BLOCKS}. Use maxUnavailable: 1 instead (remove minAvailable)`);
    return;
  }
  if ((kind !== 'Deployment' && kind !== 'StatefulSet') || replicas < 1) return;
  const hpa = spec.autoscaling !== undefined && spec.autoscaling.enabled !== false;
  const needed = typeof min === 'number' ? min : Math.ceil((parseInt(min, 10) * replicas) / 100);
  if (needed >= replicas) {
    const what = hpa ? `autoscaling.minReplicas (${replicas})` : `replicas (${replicas})`;
    problems.add(['pdb', 'minAvailable'], `(${JSON.stringify(min)}) keeps ${needed} of ${replicas} pods available, i.e. all of ${what}: it ${BLOCKS}. Use maxUnavailable: 1 (remove minAvailable), or a minAvailable below ${replicas}${hpa ? ' (or raise minReplicas)' : ' (or raise replicas)'}`);
  }
}
