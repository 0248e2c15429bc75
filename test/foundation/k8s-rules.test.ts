/** Kubernetes' own syntax rules (model/k8s-rules.ts, model/image-reference.ts), value by value. */
import { describe, expect, it } from 'vitest';
import {
  dns1123Label, dns1123Subdomain, dns1035Label, qualifiedName, labelValue, ianaServiceName, ingressHost,
  configMapKey, httpHeaderName, cidr, versionLabel,
} from '../../src/model/k8s-rules';
import { imageRegistry, imageRepository, imageTag, imageDigest } from '../../src/model/image-reference';

type Rule = (s: string) => string | undefined;
const a = (n: number, c = 'a') => c.repeat(n);

/** [rule, accepted values, refused values] */
const table: [string, Rule, string[], string[]][] = [
  ['DNS-1123 label', dns1123Label, ['a', '0', 'a-b', '1a', a(63)], ['', 'A', 'a_b', '-a', 'a-', 'a.b', a(64), 'a b']],
  ['DNS-1123 subdomain', dns1123Subdomain, ['a', 'a.b', 'a-b.c-d', '1.2', `${a(63)}.${a(63)}.${a(63)}.${a(61)}`], ['', 'a..b', '.a', 'a.', 'A.b', 'a_b', a(254), 'a.-b']],
  ['DNS-1035 label', dns1035Label, ['a', 'a1', 'a-b', a(63)], ['', '1a', '0', '-a', 'a-', 'A', a(64)]],
  ['qualified name', qualifiedName, ['a', 'A', 'a.b_c-d', 'example.com/a', 'app.kubernetes.io/name', `${a(253)}/${a(63)}`, 'a/B'], ['', '/a', 'a/', 'a/b/c', 'a b', '-a', 'a-', `${a(64)}`, `${a(254)}/a`, 'A.com/a', 'a_b/c', 'é']],
  ['label value', labelValue, ['', 'a', 'A-b_c.d', '1.0.0_build.5', a(63)], ['-a', 'a-', 'a b', 'a+b', 'a/b', a(64), 'é']],
  ['IANA service name', ianaServiceName, ['http', 'h2c', 'a-b', 'a1', a(15)], ['', '80', 'a--b', '-a', 'a-', 'A', 'a_b', a(16), '1-2']],
  ['ingress host', ingressHost, ['a.example.com', '*.example.com', 'localhost', 'web.local', '3', '1.2.3'], ['my_host.example.com', '*', '*.', 'a.*.com', 'foo*.com', '1.2.3.4', '::1', 'A.com', 'a..b', '']],
  ['ConfigMap key', configMapKey, ['a', 'a.yaml', '.env', '_x-y.Z', '.a..b', a(253)], ['', '.', '..', '...', '..data', 'a/b', 'a b', 'a:b', a(254), 'é']],
  ['HTTP header name', httpHeaderName, ['X-Token', 'Accept', 'a1'], ['', 'X Token', 'X_Token', 'a:b']],
  ['CIDR', cidr, ['10.0.0.0/8', '0.0.0.0/0', '192.168.1.1/32', 'fd00::/8', '::/0', '2001:db8::1/128'], ['10.0.0.0', '10.0.0.0/33', '256.0.0.0/8', '10.0.0/8', 'fd00::/129', 'x/8', '01.0.0.0/8']],
  ['image registry', imageRegistry, ['', 'ghcr.io', 'localhost:5000', 'registry.example.com:443', 'ghcr.io/acme', 'Registry.Example.com'], ['ghcr.io/Acme', 'a b', '-ghcr.io', 'ghcr.io:', 'ghcr..io', 'https://ghcr.io']],
  ['image repository', imageRepository, ['web', 'acme/web', 'a.b/c_d/e__f/g-h', 'a---b'], ['', 'Acme/web', 'acme/Web', 'acme//web', 'acme/web/', '/acme', 'a b', 'a._b', 'acme/web:1']],
  ['image tag', imageTag, ['1', 'latest', 'v1.0.0-rc.1', '_x', 'A', a(128)], ['', '.1', '-1', '1.0.0+build.5', 'a b', 'a/b', a(129)]],
  ['image digest', imageDigest, ['', `sha256:${a(64, 'f')}`, `sha512:${a(128, '0')}`], ['sha256:', 'sha256:xyz', `SHA256 ${a(64, 'f')}`, `sha256:${a(31, 'f')}`]],
];

describe("Kubernetes' syntax rules", () => {
  for (const [name, rule, good, bad] of table) {
    describe(name, () => {
      it.each(good)('accepts %j', (v) => { expect(rule(v)).toBeUndefined(); });
      it.each(bad)('refuses %j, saying what it must be', (v) => { expect(rule(v)).toMatch(/must/); });
    });
  }

  it('writes "+" in a version as "_" for a label, as Helm does for its chart label', () => {
    expect(versionLabel('1.0.0+build.5')).toBe('1.0.0_build.5');
    expect(versionLabel('1.2.3')).toBe('1.2.3');
    expect(labelValue(versionLabel('1.0.0-rc.1+exp.sha.5114f85'))).toBeUndefined();
  });

  it('says what to change for the usual mistakes', () => {
    expect(dns1035Label('1web')).toContain('must start with a letter');
    expect(ianaServiceName('a--b')).toContain('"--"');
    expect(ianaServiceName('8080')).toContain('at least one letter');
    expect(imageRepository('Acme/Web')).toContain('try "acme/web"');
    expect(imageTag('1.0.0+b')).toContain('try "1.0.0_b"');
    expect(configMapKey('..')).toContain('must not be ".."');
    expect(qualifiedName(`x/${a(64)}`)).toContain('at most 63 characters (it has 64)');
  });
});
