/**
 * Hostile input for issue 15's new workload shapes (capabilities, StatefulSet, storage): each bad
 * spec gives a located error (file:line:column, field path) that says what to change, and nothing
 * is rendered. A seeded random walk over capability lists shows that only NET_BIND_SERVICE ever
 * reaches a security context. `SLIPWAY_FUZZ_CASES` / `SLIPWAY_FUZZ_SEED` size and seed it.
 */
import { describe, expect, it } from 'vitest';
import { BASE, render, mainContainer, loadError } from '../support/render';

const CORPUS: [string, string, RegExp][] = [
  ['a capability other than NET_BIND_SERVICE', `${BASE}security: { capabilities: { add: [SYS_ADMIN] } }\n`, /spec\.yaml:5:\d+: security\.capabilities\.add\[0\]: "SYS_ADMIN" is not allowed: Pod Security "restricted" lets a container add only NET_BIND_SERVICE; remove it/],
  ['NET_RAW next to NET_BIND_SERVICE', `${BASE}security:\n  capabilities: { add: [NET_BIND_SERVICE, NET_RAW] }\n`, /spec\.yaml:6:\d+: security\.capabilities\.add\[1\]: "NET_RAW" is not allowed/],
  ['the CAP_ prefix', `${BASE}security: { capabilities: { add: [CAP_NET_BIND_SERVICE] } }\n`, /security\.capabilities\.add\[0\]: .*write NET_BIND_SERVICE \(without the CAP_ prefix\)/],
  ['a capability in lower case', `${BASE}security: { capabilities: { add: [net_bind_service] } }\n`, /security\.capabilities\.add\[0\]: must be a capability name in capitals/],
  ['ALL', `${BASE}security: { capabilities: { add: [ALL] } }\n`, /security\.capabilities\.add\[0\]: "ALL" is not allowed/],
  ['a repeated capability', `${BASE}security: { capabilities: { add: [NET_BIND_SERVICE, NET_BIND_SERVICE] } }\n`, /security\.capabilities\.add\[1\]: "NET_BIND_SERVICE" is listed twice/],
  ['capabilities.drop (not a spec field)', `${BASE}security: { capabilities: { drop: [ALL] } }\n`, /security\.capabilities\.drop: unknown field \(allowed: add\)/],
  ['a negative gid', `${BASE}security: { runAsGroup: -1 }\n`, /security\.runAsGroup: must be >= 0/],
  ['uid 0 without an exception', `${BASE}security: { runAsUser: 0 }\n`, /security\.runAsUser: must be >= 1/],
  ['an unknown hostPath type', `${BASE}hostPaths: [{ path: /var/log, type: Dir }]\n`, /hostPaths\[0\]\.type: must be one of/],
];

export { CORPUS as STATEFUL_CORPUS };

describe('hostile input: workload shapes (issue 15)', () => {
  for (const [what, yaml, message] of CORPUS) {
    it(`${what}: a located error that says what to change`, () => {
      expect(loadError(yaml)).toMatch(message);
    });
  }
});

/** A deterministic pseudo-random source (LCG), so a failure reproduces from its case number. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const CASES = Number(process.env.SLIPWAY_FUZZ_CASES ?? 40);
const SEED = Number(process.env.SLIPWAY_FUZZ_SEED ?? 15);
const CAPS = ['NET_BIND_SERVICE', 'NET_RAW', 'SYS_ADMIN', 'CHOWN', 'SETUID', 'ALL', 'CAP_NET_BIND_SERVICE', 'SYS_PTRACE'];

describe(`capabilities: a random walk of ${CASES} add lists (seed ${SEED})`, () => {
  it('renders only NET_BIND_SERVICE, once, or refuses at the offending entry', () => {
    const rnd = seeded(SEED);
    for (let i = 0; i < CASES; i++) {
      const add = CAPS.filter(() => rnd() < 0.3);
      const yaml = `${BASE}security: { capabilities: { add: [${add.join(', ')}] } }\n`;
      const err = loadError(yaml);
      const bad = add.findIndex((c) => c !== 'NET_BIND_SERVICE');
      if (bad >= 0) {
        expect(err, `case ${i}: ${add}`).toMatch(new RegExp(`security\\.capabilities\\.add\\[${bad}\\]: "${add[bad]}" is not allowed`));
      } else {
        expect(err, `case ${i}`).toBeUndefined();
        const caps = mainContainer(render(yaml)).securityContext.capabilities;
        expect(caps, `case ${i}`).toEqual(add.length ? { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } : { drop: ['ALL'] });
      }
    }
  });
});
