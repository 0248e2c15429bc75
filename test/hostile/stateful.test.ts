/**
 * Hostile input for issue 15's new workload shapes (capabilities, StatefulSet, storage): each bad
 * spec gives a located error (file:line:column, field path) that says what to change, and nothing
 * is rendered. A seeded random walk over capability lists shows that only NET_BIND_SERVICE ever
 * reaches a security context. `SLIPWAY_FUZZ_CASES` / `SLIPWAY_FUZZ_SEED` size and seed it.
 */
import { describe, expect, it } from 'vitest';
import { BASE, render, mainContainer, loadError } from '../support/render';

const STS = `${BASE}workload:\n  kind: StatefulSet\n  statefulSet:\n`;

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
  // StatefulSet
  ['a claim size in GB', `${STS}    volumeClaims: [{ name: data, size: 10GB, mountPath: /data }]\n`, /spec\.yaml:8:\d+: workload\.statefulSet\.volumeClaims\[0\]\.size: must be a storage size such as 512Mi, 10Gi or 1Ti/],
  ['a claim size of zero', `${STS}    volumeClaims: [{ name: data, size: 0Gi, mountPath: /data }]\n`, /spec\.yaml:8:\d+: workload\.statefulSet\.volumeClaims\[0\]\.size: \("0Gi"\) must be more than 0/],
  ['a millicore-style claim size', `${STS}    volumeClaims: [{ name: data, size: 500m, mountPath: /data }]\n`, /volumeClaims\[0\]\.size: must be a storage size/],
  ['an unknown access mode', `${STS}    volumeClaims: [{ name: data, size: 1Gi, mountPath: /data, accessModes: [ReadWriteAlways] }]\n`, /volumeClaims\[0\]\.accessModes\[0\]: must be one of "ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"/],
  ['an empty access mode list', `${STS}    volumeClaims: [{ name: data, size: 1Gi, mountPath: /data, accessModes: [] }]\n`, /volumeClaims\[0\]\.accessModes: must NOT have fewer than 1 items/],
  ['a repeated access mode', `${STS}    volumeClaims: [{ name: data, size: 1Gi, mountPath: /data, accessModes: [ReadWriteOnce, ReadWriteOnce] }]\n`, /volumeClaims\[0\]\.accessModes\[1\]: "ReadWriteOnce" is listed twice/],
  ['ReadWriteOncePod with another mode', `${STS}    volumeClaims: [{ name: data, size: 1Gi, mountPath: /data, accessModes: [ReadWriteOncePod, ReadOnlyMany] }]\n`, /volumeClaims\[0\]\.accessModes: ReadWriteOncePod cannot be combined/],
  ['a claim named like a writable path volume', `${STS}    volumeClaims: [{ name: tmp, size: 1Gi, mountPath: /data }]\n`, /spec\.yaml:8:\d+: workload\.statefulSet\.volumeClaims\[0\]\.name: becomes the volume name "tmp", which security also uses/],
  ['a claim mounted over a writable path', `${STS}    volumeClaims: [{ name: data, size: 1Gi, mountPath: /tmp/ }]\n`, /volumeClaims\[0\]\.mountPath: mounts at \/tmp\/, where security is already mounted/],
  ['two claims with one name', `${STS}    volumeClaims:\n      - { name: data, size: 1Gi, mountPath: /a }\n      - { name: data, size: 1Gi, mountPath: /b }\n`, /spec\.yaml:10:\d+: workload\.statefulSet\.volumeClaims\[1\]\.name: "data" is declared twice/],
  ['a claim name with capitals', `${STS}    volumeClaims: [{ name: Data, size: 1Gi, mountPath: /data }]\n`, /volumeClaims\[0\]\.name: must be lower-case letters/],
  ['a bad storage class', `${STS}    volumeClaims: [{ name: data, size: 1Gi, mountPath: /data, storageClass: Fast_SSD }]\n`, /volumeClaims\[0\]\.storageClass: \("Fast_SSD"\) names a StorageClass, which must be lower-case/],
  ['a relative mount path', `${STS}    volumeClaims: [{ name: data, size: 1Gi, mountPath: data }]\n`, /volumeClaims\[0\]\.mountPath: must be a path starting with "\/"/],
  ['a negative partition', `${STS}    partition: -1\n`, /workload\.statefulSet\.partition: must be >= 0/],
  ['an unknown pod management policy', `${STS}    podManagementPolicy: Random\n`, /workload\.statefulSet\.podManagementPolicy: must be one of "OrderedReady", "Parallel"/],
  ['an unknown retention', `${STS}    persistentVolumeClaimRetentionPolicy: { whenDeleted: Keep }\n`, /persistentVolumeClaimRetentionPolicy\.whenDeleted: must be one of "Retain", "Delete"/],
  ['maxSurge on a StatefulSet', `${BASE}workload: { kind: StatefulSet, updateStrategy: { maxSurge: 1 } }\n`, /workload\.updateStrategy: does not apply to a StatefulSet .*use workload\.statefulSet\.partition/],
  ['autoscaling on a StatefulSet', `${BASE}workload: { kind: StatefulSet }\nautoscaling: { maxReplicas: 5 }\n`, /autoscaling: does not apply to a StatefulSet here/],
  ['statefulSet settings on a Deployment', `${BASE}workload: { statefulSet: { partition: 1 } }\n`, /workload\.statefulSet: applies only to workload\.kind: StatefulSet \(this is a Deployment\)/],
  ['a StatefulSet fullname of 53 characters', `${BASE.replace('name: web', 'name: ' + 'n'.repeat(12) + '\ninstance: ' + 'i'.repeat(40))}workload: { kind: StatefulSet }\n`, /spec\.yaml:2:\d+: instance: makes the StatefulSet name "i{40}-n{12}" \(53 characters\); its pods get the label controller-revision-hash.*at most 52: shorten instance by 1/],
  // Storage
  ['a ReadWriteOnce claim shared by two replicas', `${BASE}volumes: [{ name: v, persistentVolumeClaim: { size: 1Gi } }]\nmounts: [{ volume: v, mountPath: /v }]\n`, /spec\.yaml:5:\d+: volumes\[0\]\.persistentVolumeClaim: creates one ReadWriteOnce claim that 2 pods \(replicas\) would share.*accessModes: \[ReadWriteMany\].*replicas: 1/],
  ['a ReadWriteOnce claim shared by StatefulSet replicas', `${STS}    partition: 0\nreplicas: 3\nvolumes: [{ name: v, persistentVolumeClaim: { size: 1Gi } }]\nmounts: [{ volume: v, mountPath: /v }]\n`, /volumes\[0\]\.persistentVolumeClaim: creates one ReadWriteOnce claim that 3 pods \(replicas\) would share.*Move it to workload\.statefulSet\.volumeClaims/],
  ['a volume with two sources', `${BASE}volumes: [{ name: v, emptyDir: {}, secret: { secretName: s } }]\nmounts: [{ volume: v, mountPath: /v }]\n`, /spec\.yaml:5:\d+: volumes\[0\]: needs exactly one of persistentVolumeClaim, emptyDir, configMap, secret, projected \(found emptyDir, secret\)/],
  ['a volume with no source', `${BASE}volumes: [{ name: v }]\nmounts: [{ volume: v, mountPath: /v }]\n`, /volumes\[0\]: needs exactly one of .* \(found none\)/],
  ['a claim both existing and created', `${BASE}volumes: [{ name: v, persistentVolumeClaim: { claimName: c, size: 1Gi } }]\nmounts: [{ volume: v, mountPath: /v }]\n`, /volumes\[0\]\.persistentVolumeClaim: needs exactly one of claimName .* and size/],
  ['a storage class on an existing claim', `${BASE}volumes: [{ name: v, persistentVolumeClaim: { claimName: c, storageClass: fast } }]\nmounts: [{ volume: v, mountPath: /v }]\n`, /volumes\[0\]\.persistentVolumeClaim\.storageClass: applies only to a claim Slipway creates/],
  ['a claim size in GB', `${BASE}volumes: [{ name: v, persistentVolumeClaim: { size: 5GB } }]\nmounts: [{ volume: v, mountPath: /v }]\n`, /volumes\[0\]\.persistentVolumeClaim\.size: must be a storage size such as 512Mi, 10Gi or 1Ti/],
  ['an access mode that does not exist', `${BASE}volumes: [{ name: v, persistentVolumeClaim: { size: 1Gi, accessModes: [RWX] } }]\nmounts: [{ volume: v, mountPath: /v }]\n`, /volumes\[0\]\.persistentVolumeClaim\.accessModes\[0\]: must be one of/],
  ['an emptyDir sizeLimit of zero', `${BASE}volumes: [{ name: v, emptyDir: { sizeLimit: "0" } }]\nmounts: [{ volume: v, mountPath: /v }]\n`, /volumes\[0\]\.emptyDir\.sizeLimit: \("0"\) must be more than 0/],
  ['an emptyDir medium that is not Memory', `${BASE}volumes: [{ name: v, emptyDir: { medium: HugePages } }]\nmounts: [{ volume: v, mountPath: /v }]\n`, /volumes\[0\]\.emptyDir\.medium: must be one of "", "Memory"/],
  ['a volume named like the writable /tmp', `${BASE}volumes: [{ name: tmp, emptyDir: {} }]\nmounts: [{ volume: tmp, mountPath: /scratch }]\n`, /spec\.yaml:5:\d+: volumes\[0\]\.name: "tmp" is already the name of a volume Slipway generates/],
  ['a volume named like a StatefulSet claim', `${STS}    volumeClaims: [{ name: data, size: 1Gi, mountPath: /data }]\nvolumes: [{ name: data, emptyDir: {} }]\nmounts: [{ volume: data, mountPath: /other }]\n`, /volumes\[0\]\.name: "data" is already the name of a workload\.statefulSet\.volumeClaims entry/],
  ['two volumes with one name', `${BASE}volumes: [{ name: v, emptyDir: {} }, { name: v, emptyDir: {} }]\nmounts: [{ volume: v, mountPath: /v }]\n`, /volumes\[1\]\.name: "v" is declared twice/],
  ['a mount of an undeclared volume', `${BASE}volumes: [{ name: v, emptyDir: {} }]\nmounts: [{ volume: v, mountPath: /v }, { volume: w, mountPath: /w }]\n`, /mounts\[1\]\.volume: "w" is not a declared volume \(declared under volumes: v\)/],
  ['a volume never mounted', `${BASE}volumes: [{ name: v, emptyDir: {} }]\n`, /volumes\[0\]: "v" is not mounted/],
  ['two mounts at one path', `${BASE}volumes: [{ name: v, emptyDir: {} }]\nmounts: [{ volume: v, mountPath: /v }, { volume: v, mountPath: /v/ }]\n`, /mounts\[1\]\.mountPath: mounts at \/v\/, where mounts\[0\]\.mountPath is already mounted/],
  ['a mount over /tmp', `${BASE}volumes: [{ name: v, emptyDir: {} }]\nmounts: [{ volume: v, mountPath: /tmp }]\n`, /mounts\[0\]\.mountPath: mounts at \/tmp, where security is already mounted/],
  ['a subPath escaping the volume', `${BASE}volumes: [{ name: v, emptyDir: {} }]\nmounts: [{ volume: v, mountPath: /v, subPath: a/../../etc }]\n`, /mounts\[0\]\.subPath: \("a\/\.\.\/\.\.\/etc"\) must not contain "\.\."/],
  ['an absolute subPath', `${BASE}volumes: [{ name: v, emptyDir: {} }]\nmounts: [{ volume: v, mountPath: /v, subPath: /etc }]\n`, /mounts\[0\]\.subPath: must be a relative path inside the volume/],
  ['a projected token with an absolute path', `${BASE}volumes: [{ name: v, projected: { sources: [{ serviceAccountToken: { path: /t } }] } }]\nmounts: [{ volume: v, mountPath: /v }]\n`, /volumes\[0\]\.projected\.sources\[0\]\.serviceAccountToken\.path: \("\/t"\) must be a relative file path/],
  ['a projected token expiring in under 10 minutes', `${BASE}volumes: [{ name: v, projected: { sources: [{ serviceAccountToken: { path: t, expirationSeconds: 60 } }] } }]\nmounts: [{ volume: v, mountPath: /v }]\n`, /serviceAccountToken\.expirationSeconds: must be >= 600/],
  ['a volume name of 64 characters', `${BASE}volumes: [{ name: ${'v'.repeat(64)}, emptyDir: {} }]\nmounts: [{ volume: ${'v'.repeat(64)}, mountPath: /v }]\n`, /volumes\[0\]\.name: must NOT have more than 63 characters/],
  ['a ConfigMap volume with a bad name', `${BASE}volumes: [{ name: v, configMap: { name: My_Config } }]\nmounts: [{ volume: v, mountPath: /v }]\n`, /volumes\[0\]\.configMap\.name: \("My_Config"\) names a ConfigMap/],
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

const SOURCES = [
  'emptyDir: {}', 'emptyDir: { medium: Memory, sizeLimit: 64Mi }', 'emptyDir: { sizeLimit: "0" }',
  'persistentVolumeClaim: { size: 1Gi }', 'persistentVolumeClaim: { size: 2Gi, accessModes: [ReadWriteMany] }', 'persistentVolumeClaim: { claimName: shared }',
  'persistentVolumeClaim: { claimName: shared, size: 1Gi }', 'configMap: { name: trust }', 'secret: { secretName: creds }',
  'projected: { sources: [{ serviceAccountToken: { path: t } }] }', 'projected: { sources: [{ secret: { name: s }, configMap: { name: c } }] }',
];
const NAMES = ['data', 'cache', 'tmp', 'config-files', 'data'];
const PATHS = ['/data', '/cache', '/tmp', '/data/', '/var/x'];

describe(`storage: a random walk of ${CASES} volume sets (seed ${SEED})`, () => {
  it('either refuses with a located error or renders strict-valid, restricted pods whose mounts all name a volume', async () => {
    const { schemaErrors } = await import('../variants/helpers');
    const { restrictedViolations } = await import('../support/pss');
    const rnd = seeded(SEED + 1);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    let rendered = 0;
    for (let i = 0; i < CASES; i++) {
      const n = 1 + Math.floor(rnd() * 3);
      const vols = Array.from({ length: n }, () => ({ name: pick(NAMES), source: pick(SOURCES) }));
      const kind = rnd() < 0.5 ? 'Deployment' : 'StatefulSet';
      const replicas = pick([1, 2, 3]);
      const yaml = `${BASE}workload: { kind: ${kind} }\nreplicas: ${replicas}\nvolumes:\n${vols.map((v) => `  - { name: ${v.name}, ${v.source} }\n`).join('')}mounts:\n${vols.map((v) => `  - { volume: ${v.name}, mountPath: ${pick(PATHS)} }\n`).join('')}`;
      const err = loadError(yaml);
      if (err) {
        for (const line of err.split('\n').filter(Boolean)) expect(line, `case ${i}`).toMatch(/^spec\.yaml:\d+:\d+: [\w.[\]]+: /);
        continue;
      }
      rendered++;
      const objects = render(yaml);
      expect(schemaErrors(objects), `case ${i}\n${yaml}`).toEqual([]);
      const w = objects.find((o) => o.kind === kind);
      const pod = w.spec.template.spec;
      expect(restrictedViolations(pod, kind), `case ${i}`).toEqual([]);
      const names = new Set([...(pod.volumes ?? []).map((v: any) => v.name), ...(w.spec.volumeClaimTemplates ?? []).map((t: any) => t.metadata.name)]);
      for (const m of pod.containers[0].volumeMounts) expect(names.has(m.name), `case ${i}: ${m.name}`).toBe(true);
      expect(new Set(pod.volumes.map((v: any) => v.name)).size, `case ${i}`).toBe(pod.volumes.length);
    }
    console.log(`storage walk: ${rendered} of ${CASES} rendered, the rest refused`);
  });
});
