/**
 * Hostile input, class 5: "valid" output the API server would reject. Every case is a spec that the
 * schema accepts but Kubernetes would refuse (or a node could not run); `validate` must refuse it
 * with a located error (file:line:column, field path) whose message says what to change. A seeded
 * generator adds more cases (SLIPWAY_FUZZ_CASES, SLIPWAY_FUZZ_SEED).
 */
import { describe, expect, it } from 'vitest';
import { BASE, loadError } from '../support/render';
import { loadSpecText } from '../../src/spec/load';
import { linkServices } from '../../src/app/link';
import { rng } from '../support/random-spec';

const a = (n: number, c = 'a') => c.repeat(n);
const base = (edit: (s: string) => string) => edit(BASE);
const plus = (yaml: string) => `${BASE}${yaml}\n`;
const inline = (values: string, extra = 'env: { X: k }') => plus(`secrets: [{ name: s, inline: { allowPlaintextInOutput: true, values: ${values} }, ${extra} }]`);

/** [what, spec, field path as reported, words the message must contain] */
const cases: [string, string, string, string][] = [
  // version / labels
  ['a version that is not a label value even with "+" as "_"', base((s) => s.replace('version: 1.2.3', 'version: "1.2.3-"').replace('acme/web }', 'acme/web, tag: "1" }')), 'version', 'app.kubernetes.io/version label'],
  ['a version longer than 63 characters', base((s) => s.replace('1.2.3', `1.2.3-${a(60)}`).replace('acme/web }', 'acme/web, tag: "1" }')), 'version', 'at most 63 characters'],
  ['a version with build metadata used as the default image tag', base((s) => s.replace('1.2.3', '"1.0.0+build.5"')), 'version', 'set image.tag'],
  ['a label key with a space', plus('labels: { "team name": x }'), 'labels["team name"]', 'not a valid label key'],
  ['a label key with two slashes', plus('labels: { "a/b/c": x }'), 'labels["a/b/c"]', 'at most one "/"'],
  ['a label key whose prefix is upper case', plus('labels: { "Example.com/team": x }'), 'labels["Example.com/team"]', 'prefix "Example.com"'],
  ['a label key name longer than 63', plus(`labels: { "example.com/${a(64)}": x }`), `labels["example.com/${a(64)}"]`, 'at most 63 characters'],
  ['a label key starting with "/"', plus('labels: { "/team": x }'), 'labels["/team"]', 'prefix before "/" may not be empty'],
  ['a label value with a space', plus('labels: { team: "a b" }'), 'labels.team', 'not a valid label value'],
  ['a label value longer than 63', plus(`labels: { team: ${a(64)} }`), 'labels.team', 'at most 63 characters (it has 64)'],
  ['a label value ending in "-"', plus('labels: { team: "core-" }'), 'labels.team', 'ending with a letter or digit'],
  ['a pod label value with "/"', plus('podLabels: { team: "a/b" }'), 'podLabels.team', 'not a valid label value'],
  ['a node selector key with a space', plus('nodeSelector: { "node role": x }'), 'nodeSelector["node role"]', 'not a valid node selector key'],
  ['a ServiceMonitor label value over 63', plus(`metrics: { port: http, serviceMonitorLabels: { release: ${a(70)} } }`), 'metrics.serviceMonitorLabels.release', 'at most 63'],
  ['a network peer label selector value with "*"', plus('networkPolicy: { ingressFrom: [{ podLabels: { app: "*" } }] }'), 'networkPolicy.ingressFrom[0].podLabels.app', 'label selector value'],
  ['a namespace selector key with "_" in the prefix', plus('networkPolicy: { egressTo: [{ namespaceLabels: { "my_org.io/x": y } }] }'), 'networkPolicy.egressTo[0].namespaceLabels["my_org.io/x"]', 'prefix "my_org.io"'],
  // annotations
  ['a pod annotation key with a space', plus('podAnnotations: { "my note": x }'), 'podAnnotations["my note"]', 'not a valid annotation key'],
  ['a Service annotation key with three parts', plus('service: { annotations: { "a/b/c": x } }'), 'service.annotations["a/b/c"]', 'at most one "/"'],
  ['an Ingress annotation key ending in "."', plus('ingress: { hosts: [{ host: a.example.com }], annotations: { "nginx.": x } }'), 'ingress.annotations["nginx."]', 'not a valid annotation key'],
  ['a ServiceAccount annotation key with an empty name', plus('serviceAccount: { annotations: { "eks.amazonaws.com/": x } }'), 'serviceAccount.annotations["eks.amazonaws.com/"]', 'must have a name'],
  ['pod annotations over 256 KiB', plus(`podAnnotations: { big: "${a(256 * 1024)}" }`), 'podAnnotations', 'at most 262144 bytes'],
  ['a security exception name too long for its annotation key', plus(`security: { exceptions: [{ name: ${a(50)}, reason: "reads node logs", allow: [runAsRoot] }] }`), 'security.exceptions[0].name', 'use a shorter name'],
  // names
  ['a service name starting with a digit (Service names are DNS-1035)', base((s) => s.replace('name: web', 'name: 1web')), 'name', 'must start with a letter'],
  ['an instance starting with a digit', plus('instance: 9prod'), 'instance', 'must start with a letter'],
  ['a migration Job name over 63 characters', plus(`instance: ${a(30, 'i')}\nmigration: { command: [migrate] }`).replace('name: web', `name: ${a(30, 'w')}`), 'instance', 'shorten instance by 6'],
  ['a migration Job name over 63 characters from the name alone', plus('migration: { command: [migrate] }').replace('name: web', `name: ${a(40, 'w')}`).replace('\nimage', `\ninstance: ${a(20, 'p')}-x\nimage`), 'instance', 'job-name label'],
  ['a ServiceAccount name with upper case', plus('serviceAccount: { name: WebSA }'), 'serviceAccount.name', 'names a ServiceAccount'],
  ['an existing Secret name with "_"', plus('secrets: [{ name: db, existingSecret: db_secret, envFromAll: true }]'), 'secrets[0].existingSecret', 'names a Secret'],
  ['an image pull secret name with a space', plus('imagePullSecrets: ["reg cred"]'), 'imagePullSecrets[0]', 'names a Secret'],
  ['a priority class name with upper case', plus('priorityClassName: High'), 'priorityClassName', 'names a PriorityClass'],
  ['an IngressClass name with "_"', plus('ingress: { className: my_nginx, hosts: [{ host: a.example.com }] }'), 'ingress.className', 'names an IngressClass'],
  ['a TLS secret name with upper case', plus('ingress: { hosts: [{ host: a.example.com }], tls: [{ hosts: [a.example.com], secretName: Cert }] }'), 'ingress.tls[0].secretName', 'names a Secret'],
  ['a SecretStore name with "/"', plus('secrets: [{ name: db, external: { store: aws/sm, data: [{ secretKey: k, remoteKey: r }] }, envFromAll: true }]'), 'secrets[0].external.store', 'names a SecretStore'],
  ['a Gateway namespace with a dot', plus('httpRoute: { parentRefs: [{ name: gw, namespace: a.b }] }'), 'httpRoute.parentRefs[0].namespace', 'names a namespace'],
  // ports
  ['a port name with "--"', base((s) => s.replace('name: http', 'name: a--b')), 'ports[0].name', 'must not contain "--"'],
  ['a port name of digits only', base((s) => s.replace('name: http', 'name: "8080"')), 'ports[0].name', 'at least one letter'],
  ['an appProtocol with a space', base((s) => s.replace('containerPort: 8080', 'containerPort: 8080, appProtocol: "h t t p"')), 'ports[0].appProtocol', 'protocol name'],
  ['a probe header name with a space', plus('health: { http: { path: /h, headers: { "X Token": a } } }'), 'health.http.headers["X Token"]', 'HTTP header name'],
  ['a network peer CIDR without a prefix length', plus('networkPolicy: { egressTo: [{ cidr: 10.0.0.0 }] }'), 'networkPolicy.egressTo[0].cidr', 'must be a CIDR'],
  ['an egress port 0', plus('networkPolicy: { egressTo: [{ cidr: 10.0.0.0/8, ports: [0] }] }'), 'networkPolicy.egressTo[0].ports[0]', 'from 1 to 65535'],
  ['an egress port given by name (a peer\'s port names are unknown)', plus('networkPolicy: { egressTo: [{ cidr: 10.0.0.0/8, ports: ["x--y"] }] }'), 'networkPolicy.egressTo[0].ports[0]', 'egress ports are numbers'],
  // hosts and paths
  ['an ingress host with "_"', plus('ingress: { hosts: [{ host: my_host.example.com }] }'), 'ingress.hosts[0].host', 'lower-case letters'],
  ['an ingress host that is an IP address', plus('ingress: { hosts: [{ host: 10.0.0.1 }] }'), 'ingress.hosts[0].host', 'not an IP address'],
  ['an ingress host with "*" in the middle', plus('ingress: { hosts: [{ host: "a.*.example.com" }] }'), 'ingress.hosts[0].host', 'whole first part'],
  ['an ingress host with upper case', plus('ingress: { hosts: [{ host: Web.example.com }] }'), 'ingress.hosts[0].host', 'lower-case'],
  ['a TLS host with "_"', plus('ingress: { hosts: [{ host: a.example.com }], tls: [{ hosts: [a_b.example.com], secretName: cert }] }'), 'ingress.tls[0].hosts[0]', 'lower-case'],
  ['an ingress Prefix path with "//"', plus('ingress: { hosts: [{ host: a.example.com, paths: [{ path: "/a//b" }] }] }'), 'ingress.hosts[0].paths[0].path', 'must not contain "//"'],
  ['an ingress Exact path ending in "/.."', plus('ingress: { hosts: [{ host: a.example.com, paths: [{ path: "/a/..", pathType: Exact }] }] }'), 'ingress.hosts[0].paths[0].path', '"/.."'],
  ['an HTTPRoute hostname with a trailing dot', plus('httpRoute: { parentRefs: [{ name: gw }], hostnames: ["a.example.com."] }'), 'httpRoute.hostnames[0]', 'lower-case'],
  ['an HTTPRoute path with "#"', plus('httpRoute: { parentRefs: [{ name: gw }], paths: ["/a#b"] }'), 'httpRoute.paths[0]', 'must not contain "#"'],
  // image
  ['an image repository with upper case', base((s) => s.replace('acme/web', 'Acme/Web')), 'image.repository', 'must be lower case (try "acme/web")'],
  ['an image repository with a space', base((s) => s.replace('acme/web', '"acme/my web"')), 'image.repository', 'must not contain spaces'],
  ['an image repository with a tag in it', base((s) => s.replace('acme/web', '"acme/web:1"')), 'image.repository', 'path parts'],
  ['an image tag with a space', base((s) => s.replace('acme/web }', 'acme/web, tag: "1 0" }')), 'image.tag', 'must be an image tag'],
  ['an image tag with "+"', base((s) => s.replace('acme/web }', 'acme/web, tag: "1.0+b" }')), 'image.tag', 'try "1.0_b"'],
  ['an image tag starting with "."', base((s) => s.replace('acme/web }', 'acme/web, tag: ".1" }')), 'image.tag', 'not starting with "."'],
  ['an image registry with a scheme', base((s) => s.replace('{ repository', '{ registry: "https://ghcr.io", repository')), 'image.registry', 'registry host'],
  ['an image registry with a space', base((s) => s.replace('{ repository', '{ registry: "ghcr .io", repository')), 'image.registry', 'must not contain spaces'],
  // ConfigMap / Secret keys and sizes
  ['a ConfigMap file named ".."', plus('config: { files: { "..": x } }'), 'config.files[".."]', 'must not be ".."'],
  ['a ConfigMap file name starting with ".." (kubelet\'s own ..data links)', plus('config: { files: { "..data": x } }'), 'config.files["..data"]', 'must not start with ".."'],
  ['a ConfigMap file name with "/"', plus('config: { files: { "conf/app.yaml": x } }'), 'config.files["conf/app.yaml"]', 'no "/"'],
  ['a ConfigMap file name with a space', plus('config: { files: { "app config": x } }'), 'config.files["app config"]', 'not a valid ConfigMap key'],
  ['a ConfigMap file name over 253 characters', plus(`config: { files: { ${a(254)}: x } }`), `config.files.${a(254)}`, 'at most 253'],
  ['a ConfigMap over 1 MiB', plus(`config: { files: { a: "${a(600 * 1024)}", b: "${a(600 * 1024)}" } }`), 'config.files', 'at most 1048576 bytes'],
  ['an env ConfigMap over 1 MiB', plus(`config: { env: { A: "${a(1024 * 1024 + 1)}" } }`), 'config.env', 'at most 1048576 bytes'],
  ['an inline Secret key with "/"', inline('{ "a/b": x }', 'envFromAll: true'), 'secrets[0].inline.values["a/b"]', 'not a valid Secret key'],
  ['an inline Secret over 1 MiB', inline(`{ k: "${a(1024 * 1024 + 1)}" }`), 'secrets[0].inline.values', 'at most 1048576 bytes'],
  ['a secret env entry naming a key the inline secret does not have', inline('{ password: x }', 'env: { DB_PASS: passwd }'), 'secrets[0].env.DB_PASS', 'does not have (its keys, from inline.values: password)'],
  ['a secret env entry naming a key the ExternalSecret does not produce', plus('secrets: [{ name: db, external: { store: aws, data: [{ secretKey: url, remoteKey: r }] }, env: { DB: password } }]'), 'secrets[0].env.DB', 'does not produce'], // (model/variants.ts),
  ['a secret env entry naming an impossible key', plus('secrets: [{ name: db, existingSecret: db, env: { DB: "a/b" } }]'), 'secrets[0].env.DB', 'is a Secret key'],
  ['an ExternalSecret key with a space', plus('secrets: [{ name: db, external: { store: aws, data: [{ secretKey: "my key", remoteKey: r }] }, envFromAll: true }]'), 'secrets[0].external.data[0].secretKey', 'becomes a Secret key'],
  // volumes and mounts
  ['two writable paths at one path', plus('security: { writablePaths: [/tmp, /tmp] }'), 'security.writablePaths[1]', 'two mounts of a container cannot share a path'],
  ['two writable paths that make one volume name', plus('security: { writablePaths: [/var/cache, /var-cache] }'), 'security.writablePaths[1]', 'two volumes of a pod cannot share a name'],
  ['a writable path at the config files mount', plus('config: { files: { a: x } }\nsecurity: { writablePaths: [/etc/web] }'), 'config', 'is already mounted'],
  ['a secret mounted at the config files mount', plus('config: { files: { a: x }, mountPath: /etc/app }\nsecrets: [{ name: db, existingSecret: db, mountPath: /etc/app/ }]'), 'secrets[0].mountPath', 'is already mounted'],
  ['a writable path that makes the config volume name', plus('config: { files: { a: x }, mountPath: /etc/app }\nsecurity: { writablePaths: [/config-files] }'), 'config.mountPath', 'two volumes of a pod cannot share a name'],
  ['a mounted secret whose volume name is over 63', plus(`secrets: [{ name: ${a(60)}, existingSecret: db, mountPath: /s }]`), 'secrets[0].name', 'becomes the volume name'],
  ['a sidecar shared volume name with "_"', plus('workload: { kind: Sidecar, sidecar: { sharedVolumes: { my_vol: /shared } } }'), 'workload.sidecar.sharedVolumes.my_vol', 'is a volume name'],
  ['a hostPath with ".."', plus('hostPaths: [{ path: /var/log/../run }]\nsecurity: { exceptions: [{ name: logs, reason: "reads node logs", allow: [hostPath] }] }'), 'hostPaths[0].path', 'must not contain ".."'],
  ['a hostPath mounted where a writable path is', plus('hostPaths: [{ path: /var/log, mountPath: /tmp }]\nsecurity: { exceptions: [{ name: logs, reason: "reads node logs", allow: [hostPath] }] }'), 'hostPaths[0].mountPath', 'is already mounted'],
  // scheduling
  ['a topology key with a space', plus('spread: { topologyKeys: ["my zone"] }'), 'spread.topologyKeys[0]', 'node label key'],
  ['a toleration key with two slashes', plus('tolerations: [{ key: "a/b/c", operator: Exists }]'), 'tolerations[0].key', 'taint key'],
  ['a toleration value with "Exists"', plus('tolerations: [{ key: a, operator: Exists, value: b }]'), 'tolerations[0].value', 'must be empty'],
  ['a toleration without key and not "Exists"', plus('tolerations: [{ value: b }]'), 'tolerations[0].operator', 'must be "Exists"'],
  ['tolerationSeconds without NoExecute', plus('tolerations: [{ key: a, operator: Exists, tolerationSeconds: 5 }]'), 'tolerations[0].tolerationSeconds', 'NoExecute'],
  ['a toleration value that is not a label value', plus('tolerations: [{ key: a, value: "x y" }]'), 'tolerations[0].value', 'taint value'],
];

const located = (path: string) => new RegExp(`^spec\\.yaml:\\d+:\\d+: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `, 'm');

describe('class 5: what the API server would reject is refused, located, with what to change', () => {
  it('has at least 40 cases', () => { expect(cases.length).toBeGreaterThanOrEqual(40); });
  for (const [what, spec, path, words] of cases) {
    it(what, () => {
      const msg = loadError(spec);
      expect(msg, 'validate accepted it').toBeDefined();
      expect(msg).toMatch(located(path));
      const line = msg!.split('\n').find((l) => located(path).test(l))!;
      expect(line).toContain(words);
    });
  }

  it('accepts a semver with build metadata, writing "+" as "_" in the version label', () => {
    const spec = base((s) => s.replace('1.2.3', '"1.0.0+build.5"').replace('acme/web }', 'acme/web, tag: 1.0.0-build.5 }'));
    expect(loadError(spec)).toBeUndefined();
  });

  it('accepts names, labels and keys at their limits', () => {
    const spec = `name: ${a(40, 'w')}\ninstance: ${a(14, 'i')}\nversion: "${a(63, '1')}"\nimage: { repository: acme/web, tag: "1" }\n` +
      `ports: [{ name: ${a(15, 'p')}, containerPort: 8080 }]\nmigration: { command: [m] }\n` +
      `labels: { "${a(253, 'l').replace(/(.{63})/g, '$1.').replace(/\.$/, '').slice(0, 253).replace(/\.$/, 'l')}/${a(63, 'k')}": "${a(63, 'v')}" }\n` +
      `config: { files: { "${a(253, 'f')}": x } }\n`;
    expect(loadError(spec)).toBeUndefined();
  });
});


const FUZZ_CASES = Number(process.env.SLIPWAY_FUZZ_CASES ?? 30);
const FUZZ_SEED = Number(process.env.SLIPWAY_FUZZ_SEED ?? 5);

describe(`class 5, generated (seed ${FUZZ_SEED}, ${FUZZ_CASES} cases)`, () => {
  const rand = rng(FUZZ_SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const word = (n: number) => Array.from({ length: n }, () => pick('abcdefghijklmnopqrstuvwxyz0123456789'.split(''))).join('');
  const BAD = [' ', '_', '/', '+', ':', '@', '!', 'É', '%', '*'];
  /** Characters no label key name part or label value allows ("_" and "." are allowed there). */
  const BAD_LABEL = BAD.filter((c) => c !== '_' && c !== '/');
  /** A lower-case name with one character no DNS name allows, or one too many characters. */
  const badDns = (max: number) => (rand() < 0.3 ? `a${word(max)}` : `a${word(2)}${pick(BAD)}${word(2)}b`);
  const q = JSON.stringify;
  const gens: (() => [string, string])[] = [
    () => { const k = `${word(3)}${pick(BAD_LABEL)}${word(2)}`; return [plus(`labels: { ${q(k)}: x }`), `labels[${q(k)}]`]; },
    () => { const v = rand() < 0.5 ? `a${word(63)}` : `a${pick([...BAD_LABEL, '/'])}b`; return [plus(`podLabels: { team: ${q(v)} }`), 'podLabels.team']; },
    () => { const h = `${badDns(253)}.example.com`; return [plus(`ingress: { hosts: [{ host: ${q(h)} }] }`), 'ingress.hosts[0].host']; },
    () => { const n = pick([`a${word(15)}`, `${word(2)}--${word(2)}`.replace(/^-|-$/g, 'a'), String(1000 + Math.floor(rand() * 9000)), `a${pick(['_', '.', 'A'])}b`]); return [base((s) => s.replace('name: http', `name: ${q(n)}`)), 'ports[0].name']; },
    () => { const k = pick(['.', '..', `..${word(3)}`, `a/${word(3)}`, `a ${word(3)}`, `${word(3)}:x`, 'x'.repeat(254)]); return [plus(`config: { files: { ${q(k)}: x } }`), `config.files${/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${q(k)}]`}`]; },
    () => { const r = pick([`Acme/${word(4)}`, `acme/${word(3)} x`, `acme//${word(3)}`, `acme/${word(3)}-`]); return [base((s) => s.replace('acme/web', q(r))), 'image.repository']; },
    () => { const t = pick([`${word(3)}+${word(2)}`, `.${word(3)}`, `-${word(3)}`, `${word(2)} ${word(2)}`, `a${word(128)}`]); return [base((s) => s.replace('acme/web }', `acme/web, tag: ${q(t)} }`)), 'image.tag']; },
    () => { const n = `${Math.floor(rand() * 10)}${word(5)}`; return [base((s) => s.replace('name: web', `name: ${q(n)}`)), 'name']; },
  ];
  for (let i = 0; i < FUZZ_CASES; i++) {
    const [spec, path] = pick(gens)();
    it(`case ${i}: ${path}`, () => {
      const msg = loadError(spec);
      expect(msg, `validate accepted:\n${spec.slice(0, 400)}`).toBeDefined();
      expect(msg).toMatch(located(path));
    });
  }
});

describe('class 5, names a sidecar gets in its host\'s pods', () => {
  const host = 'name: web\nversion: 1.2.3\nimage: { repository: acme/web }\nports: [{ name: http, containerPort: 8080 }]\n';
  const sidecar = (extra: string) => `---\nname: ${'s'.repeat(30)}\nversion: 1.0.0\nimage: { repository: acme/agent }\nworkload: { kind: Sidecar, sidecar: { host: web } }\n${extra}\n`;
  const linkError = (yaml: string) => {
    try { linkServices(loadSpecText(yaml, 'spec.yaml')); return undefined; } catch (e) { return (e as Error).message; }
  };

  it('a mounted secret whose prefixed volume name is over 63 characters', () => {
    const msg = linkError(host + sidecar(`secrets: [{ name: ${'k'.repeat(30)}, existingSecret: x, mountPath: /s }]`));
    expect(msg).toMatch(/^spec\.yaml:\d+:\d+: name: cannot join the pods of "web": its volume "s{30}-secret-k{30}" in the host's pods must be at most 63 characters/);
  });

  it('an external secret whose checksum annotation key is too long', () => {
    const msg = linkError(host + sidecar(`secrets: [{ name: ${'k'.repeat(30)}, external: { store: aws, data: [{ secretKey: a, remoteKey: b }] }, envFromAll: true }]`));
    expect(msg).toMatch(/^spec\.yaml:\d+:\d+: name: cannot join the pods of "web": its pod annotation key "checksum\/sidecar-s{30}-secret-k{30}"/);
  });

  it('a sidecar with short names joins', () => {
    expect(linkError(host + sidecar('secrets: [{ name: db, existingSecret: x, mountPath: /s }]'))).toBeUndefined();
  });
});
