/**
 * Hostile input for the defaults of issue 15 (protocols, route-derived NetworkPolicy rules, peer
 * ports, per-resource `none`, disruption budgets): each bad spec gives a located error that says
 * what to change, and a seeded random walk over resource amounts shows the per-resource merge never
 * renders a request above its limit (it either renders a consistent block or refuses with a
 * located error). `SLIPWAY_FUZZ_CASES` / `SLIPWAY_FUZZ_SEED` size and seed the random part.
 */
import { describe, expect, it } from 'vitest';
import { loadSpecText } from '../../src/spec/load';
import { SpecError } from '../../src/spec/errors';
import { quantityValue } from '../../src/model/quantity';
import { BASE, render, mainContainer, loadError } from '../support/render';

const CORPUS: [string, string, RegExp][] = [
  ['an unknown protocol', `${BASE}ports: [{ name: x, containerPort: 53, protocol: ICMP }]\n`.replace(`ports: [{ name: http, containerPort: 8080 }]\n`, ''), /spec\.yaml:4:\d+: ports\[0\]\.protocol: must be one of "TCP", "UDP", "SCTP"/],
  ['a peer port protocol in lower case', `${BASE}networkPolicy: { egressTo: [{ cidr: 10.0.0.0/8, ports: [{ port: 53, protocol: udp }] }] }\n`, /spec\.yaml:5:\d+: networkPolicy\.egressTo\[0\]\.ports\[0\]/],
  ['a peer port object with an unknown field', `${BASE}networkPolicy: { egressTo: [{ cidr: 10.0.0.0/8, ports: [{ port: 53, proto: UDP }] }] }\n`, /spec\.yaml:5:\d+: networkPolicy\.egressTo\[0\]\.ports\[0\]/],
  ['an egress port by name', `${BASE}networkPolicy: { egressTo: [{ service: db, ports: [postgres] }] }\n`, /networkPolicy\.egressTo\[0\]\.ports\[0\]: is a name: egress ports are numbers/],
  ['an ingress port that is not declared', `${BASE}networkPolicy: { ingressFrom: [{ podLabels: { a: b }, ports: [{ port: grpc }] }] }\n`, /networkPolicy\.ingressFrom\[0\]\.ports\[0\]: "grpc" is not a declared port \(declared: http\)/],
  ['a cidr mixed with a selector', `${BASE}networkPolicy: { ingressFrom: [{ cidr: 10.0.0.0/8, service: web }] }\n`, /networkPolicy\.ingressFrom\[0\]\.cidr: cannot be combined with podLabels, namespaceLabels or service/],
  ['a peer service that is not a DNS label', `${BASE}networkPolicy: { egressTo: [{ service: Postgres_DB }] }\n`, /spec\.yaml:5:\d+: networkPolicy\.egressTo\[0\]\.service: must be lower-case letters/],
  ['a controller namespace that is not a DNS label', `${BASE}ingress: { controllerNamespace: "ingress nginx", hosts: [{ host: a.example.com }] }\n`, /ingress\.controllerNamespace: must be lower-case letters/],
  ['a gateway namespace of 64 characters', `${BASE}httpRoute: { gatewayNamespace: ${'g'.repeat(64)}, parentRefs: [{ name: gw }] }\n`, /httpRoute\.gatewayNamespace: must NOT have more than 63 characters/],
  ['allowFromRoutes as a string', `${BASE}networkPolicy: { allowFromRoutes: "no" }\n`, /networkPolicy\.allowFromRoutes: must be boolean/],
  ['`none` with extra text', `${BASE}resources: { limits: { memory: none please } }\n`, /resources\.limits\.memory: must be a Kubernetes quantity such as 100m, 0\.5 or 128Mi, or none/],
  ['`None` in another case', `${BASE}resources: { limits: { memory: None } }\n`, /resources\.limits\.memory: must be a Kubernetes quantity/],
  ['a request above its own limit', `${BASE}resources: { requests: { cpu: "2" }, limits: { cpu: 1500m } }\n`, /spec\.yaml:5:\d+: resources\.requests\.cpu: \(2\) is above resources\.limits\.cpu \(1500m\)/],
  ['a budget of zero', `${BASE}pdb: { maxUnavailable: "0%" }\n`, /pdb\.maxUnavailable: is "0%": it blocks every voluntary eviction.*maxUnavailable: 1/],
  ['a percentage budget that rounds up to every pod', `${BASE}replicas: 2\npdb: { minAvailable: 60% }\n`, /pdb\.minAvailable: \("60%"\) keeps 2 of 2 pods available/],
  ['a budget as large as the HPA minimum', `${BASE}autoscaling: { minReplicas: 3, maxReplicas: 9 }\npdb: { minAvailable: 3 }\n`, /pdb\.minAvailable: .*autoscaling\.minReplicas \(3\).*raise minReplicas/],
  ['a probe with timings and no check', `${BASE}health: { http: { path: /h }, startup: { enabled: false }, liveness: { periodSeconds: 5 } }\n`.replace('http: { path: /h }, ', 'readiness: { http: { path: /h } }, '), /health\.liveness: has no check/],
];

describe('hostile input: silent defaults (issue 15)', () => {
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

const CASES = Number(process.env.SLIPWAY_FUZZ_CASES ?? 200);
const SEED = Number(process.env.SLIPWAY_FUZZ_SEED ?? 15);
const AMOUNTS = ['none', '1', '0.5', '50m', '100m', '2', '32Mi', '64Mi', '128Mi', '200Mi', '256Mi', '1Gi', '2Gi', '512Mi', '1G', '900M', '3k'];
const RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];

describe(`resources: a random walk of ${CASES} partial blocks (seed ${SEED})`, () => {
  it('never renders a request above its limit, and refuses only what the user wrote inconsistently', () => {
    const rnd = seeded(SEED);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    for (let i = 0; i < CASES; i++) {
      const side = () => Object.fromEntries(RESOURCES.filter(() => rnd() < 0.4).map((r) => [r, pick(AMOUNTS)]));
      const requests = side();
      const limits = side();
      const yaml = `${BASE}resources: ${JSON.stringify({ requests, limits })}\n`;
      const userClash = RESOURCES.some((r) => requests[r] && limits[r] && requests[r] !== 'none' && limits[r] !== 'none' && quantityValue(requests[r]) > quantityValue(limits[r]));
      let res: any;
      try {
        res = mainContainer(render(yaml)).resources;
      } catch (e) {
        expect(e, `case ${i}: ${yaml}`).toBeInstanceOf(SpecError);
        expect(userClash, `case ${i} refused though consistent: ${(e as Error).message}`).toBe(true);
        expect((e as Error).message).toMatch(/spec\.yaml:\d+:\d+: resources\.requests\./);
        continue;
      }
      expect(userClash, `case ${i} accepted a request above its limit: ${yaml}`).toBe(false);
      for (const r of RESOURCES) {
        const want = (side: Record<string, string>, got: Record<string, string> | undefined) => {
          if (side[r] === 'none') expect(got?.[r], `case ${i}: ${r} removed`).toBeUndefined();
        };
        want(requests, res.requests);
        want(limits, res.limits);
        if (res.requests?.[r] && res.limits?.[r]) expect(quantityValue(res.requests[r]) <= quantityValue(res.limits[r]), `case ${i}: ${r} ${JSON.stringify(res)}`).toBe(true);
        if (requests[r] && requests[r] !== 'none') expect(res.requests[r], `case ${i}: the user's request is kept`).toBe(requests[r]);
        if (limits[r] && limits[r] !== 'none') expect(res.limits[r], `case ${i}: the user's limit is kept`).toBe(limits[r]);
      }
    }
  });

  it('loads the spec text of every case without an exception other than SpecError', () => {
    expect(() => loadSpecText(`${BASE}resources: { requests: { cpu: none }, limits: { cpu: none } }\n`, 'spec.yaml')).not.toThrow();
  });
});
