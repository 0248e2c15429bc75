/**
 * Linux capabilities a container may add back after `drop: [ALL]`. Pod Security "restricted"
 * allows exactly one, NET_BIND_SERVICE (bind a port below 1024 as non-root); no named exception
 * opens more, so anything else is refused where it is written.
 */
import type { ServiceSpec } from '../spec/types';
import type { Problems } from './problems';

/** The capabilities Pod Security "restricted" lets a container add. */
export const RESTRICTED_CAPABILITIES: readonly string[] = ['NET_BIND_SERVICE'];

/** `security.capabilities.add`, checked; returns the capabilities to add (unique, in spec order). */
export function resolveCapabilities(spec: ServiceSpec, problems: Problems): string[] {
  const add = spec.security?.capabilities?.add ?? [];
  add.forEach((c, i) => {
    const at = ['security', 'capabilities', 'add', i];
    const bare = c.replace(/^CAP_/, '');
    if (!RESTRICTED_CAPABILITIES.includes(c)) {
      const hint = bare !== c && RESTRICTED_CAPABILITIES.includes(bare) ? `write ${bare} (without the CAP_ prefix)` : 'remove it (a pod that needs more capabilities cannot run under Pod Security "restricted")';
      problems.add(at, `"${c}" is not allowed: Pod Security "restricted" lets a container add only ${RESTRICTED_CAPABILITIES.join(', ')}; ${hint}`);
    } else if (add.indexOf(c) !== i) {
      problems.add(at, `"${c}" is listed twice: remove the repetition`);
    }
  });
  return add.filter((c, i) => RESTRICTED_CAPABILITIES.includes(c) && add.indexOf(c) === i);
}
