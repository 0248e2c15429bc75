/**
 * A seeded generator of service specs that aim to be valid while pushing names, labels, keys,
 * ports, hosts and sizes towards Kubernetes' limits (63-character labels and names, 15-character
 * port names, 253-character subdomains and keys, "_" and "." in label values, "+" in versions).
 * Used by the cluster property test: whatever `validate` accepts, the API server must accept.
 */

/** mulberry32: small, seedable, deterministic. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class SpecGen {
  private readonly r: () => number;
  /**
   * How often a value is pushed just past what Slipway believes Kubernetes allows (an odd
   * character, a dash at the end, a "..": whatever `validate` refuses is simply not applied).
   * Values that validate wrongly accepts are then caught by the API server. @default 0.015
   */
  constructor(seed: number, readonly edge = 0.015) { this.r = rng(seed); }
  /** `s`, or with an edge character spliced in. */
  edgy(s: string): string {
    if (!this.chance(this.edge)) return s;
    const at = this.int(0, s.length);
    return s.slice(0, at) + this.pick(['-', '.', '..', '_', '/', ' ', 'A', '+', '*', ':', '%', 'é']) + s.slice(at);
  }

  int(lo: number, hi: number): number { return lo + Math.floor(this.r() * (hi - lo + 1)); }
  chance(p: number): boolean { return this.r() < p; }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.r() * xs.length)]; }
  chars(n: number, alphabet: string): string { return Array.from({ length: n }, () => this.pick(alphabet.split(''))).join(''); }
  /** Length near a limit half the time. */
  len(max: number): number { return this.chance(0.5) ? this.int(Math.max(1, max - 3), max) : this.int(1, max); }

  /** A DNS-1123 label of length n starting with a letter when `letter`. */
  dnsLabel(n: number, letter = true): string {
    if (n === 1) return this.chars(1, letter ? 'abcdefghijklmnopqrstuvwxyz' : 'abcdefghijklmnopqrstuvwxyz0123456789');
    const first = this.chars(1, letter ? 'abcdefghijklmnopqrstuvwxyz' : 'abcdefghijklmnopqrstuvwxyz0123456789');
    const mid = this.chars(n - 2, 'abcdefghijklmnopqrstuvwxyz0123456789-');
    return first + mid + this.chars(1, 'abcdefghijklmnopqrstuvwxyz0123456789');
  }

  /** A DNS-1123 subdomain of at most `max` characters. */
  subdomain(max: number): string {
    const parts: string[] = [];
    let left = this.len(max);
    while (left > 0) {
      const n = Math.min(this.int(1, 63), left);
      parts.push(this.dnsLabel(n, false));
      left -= n + 1;
    }
    const s = parts.join('.');
    return s.length > max ? s.slice(0, max).replace(/[.-]+$/, '') : s;
  }

  /** A label value (or the name part of a key): letters, digits, "-", "_", "." with alphanumeric ends. */
  labelValue(max = 63, allowEmpty = true): string {
    if (allowEmpty && this.chance(0.1)) return '';
    const n = this.len(max);
    const an = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    if (n === 1) return this.chars(1, an);
    return this.edgy(this.chars(1, an) + this.chars(n - 2, `${an}-_.`) + this.chars(1, an));
  }

  /** A qualified name: `[prefix/]name`, the prefix a subdomain. */
  qualifiedName(): string {
    const name = this.labelValue(63, false);
    return this.chance(0.5) ? `${this.subdomain(this.chance(0.3) ? 253 : 40)}/${name}` : name;
  }

  labels(n: number, avoid: string[] = []): Record<string, string> {
    const out: Record<string, string> = {};
    for (let i = 0; i < n; i++) {
      const k = this.qualifiedName();
      if (!avoid.includes(k) && !k.startsWith('app.kubernetes.io/')) out[k] = this.labelValue();
    }
    return out;
  }

  /** An IANA service name: up to 15, a letter, no "--", no dash at the ends. */
  portName(): string {
    for (;;) {
      const s = this.dnsLabel(this.len(15), this.chance(0.7));
      if (/[a-z]/.test(s) && !s.includes('--')) return this.edgy(s);
    }
  }

  /** A ConfigMap key: letters, digits, "-", "_", "."; not ".", not starting with "..". */
  configKey(): string {
    for (;;) {
      const s = this.chars(this.chance(0.1) ? this.int(240, 253) : this.int(1, 20), 'abcXYZ019-_.');
      if (s !== '.' && !s.startsWith('..')) return this.edgy(s);
    }
  }

  envName(): string { return this.chars(1, 'ABCXYZ_') + this.chars(this.int(0, 20), 'ABCXYZ0123_.-'); }

  /** Any text, including what YAML and templates find hard. */
  text(max = 40): string {
    return this.chars(this.int(0, max), 'abc XYZ 012 _-./:@#{}[]"\'\\\n\t*&!|>%$éü✓');
  }

  /** One line of text (the spec refuses line breaks, tabs and other control characters there). */
  line(max = 40): string {
    return this.chars(this.int(0, max), 'abc XYZ 012 _-./:@#{}[]"\'\\*&!|>%$éü✓');
  }

  semver(): string {
    const core = `${this.int(0, 20)}.${this.int(0, 99)}.${this.int(0, 999)}`;
    const preRaw = this.chance(0.4) ? `-${this.chars(this.int(1, 12), 'abcrc0123.')}`.replace(/\.+$/, '').replace(/\.\.+/g, '.').replace(/-\./, '-a.') : '';
    const pre = preRaw.length > 1 ? preRaw : '';
    const build = this.chance(0.4) ? `+${this.chars(this.int(1, 20), 'abcdef0123456789.')}`.replace(/\.+$/, '').replace(/\.\.+/g, '.').replace(/\+\./, '+b.') : '';
    const v = `${core}${pre}${build.length > 1 ? build : ''}`;
    return v.length > 63 ? core : v;
  }

  tag(): string { return this.edgy(this.chars(1, 'abcXYZ019_') + this.chars(this.int(0, this.chance(0.2) ? 127 : 10), 'abcXYZ019_.-')); }

  repository(): string {
    const comp = () => {
      const words = Array.from({ length: this.int(1, 3) }, () => this.chars(this.int(1, 6), 'abcdefxyz0123'));
      return words.reduce((acc, w) => `${acc}${this.pick(['.', '_', '__', '-', '---'])}${w}`);
    };
    return this.edgy(Array.from({ length: this.int(1, 3) }, comp).join('/'));
  }

  host(): string {
    const h = this.subdomain(this.chance(0.3) ? 200 : 40);
    return this.edgy(this.chance(0.2) ? `*.${h}` : h);
  }

  absPath(): string {
    return `/${Array.from({ length: this.int(1, 3) }, () => this.chars(this.int(1, 10), 'abcxyz019._-')).join('/')}`;
  }
}

/** One random service spec (a plain object), aiming to be valid. */
export function randomSpec(g: SpecGen): Record<string, unknown> {
  const migration = g.chance(0.4);
  const name = g.dnsLabel(g.len(40));
  // The fullname (instance-name, or the instance when it contains the name) stays <= 55 with a migration Job.
  const instanceRoom = (migration ? 55 : 63) - name.length - 1;
  const instance = g.chance(0.5) && instanceRoom >= 1 ? g.dnsLabel(g.int(1, Math.min(40, instanceRoom))) : undefined;
  const version = g.semver();
  const portCount = g.int(0, 3);
  const ports: Record<string, unknown>[] = [];
  const names = new Set<string>();
  while (ports.length < portCount) {
    const n = g.portName();
    if (names.has(n)) continue;
    names.add(n);
    ports.push({ name: n, containerPort: 1024 + ports.length * 1000 + g.int(0, 999), ...(g.chance(0.3) ? { appProtocol: g.pick(['http', 'grpc', 'kubernetes.io/h2c', 'example.com/x_y']) } : {}) });
  }
  const exposed = ports.length > 0;
  const spec: Record<string, unknown> = {
    name,
    ...(instance ? { instance } : {}),
    version,
    description: g.line(),
    image: {
      ...(g.chance(0.5) ? { registry: g.pick(['ghcr.io', 'registry.example.com:5000', 'localhost:5000', 'Registry.Example.COM', 'ghcr.io/acme']) } : {}),
      repository: g.repository(),
      ...(version.includes('+') || g.chance(0.3) ? { tag: g.tag() } : {}),
      ...(g.chance(0.2) ? { digest: `sha256:${g.chars(64, '0123456789abcdef')}` } : {}),
    },
    ports,
    labels: g.labels(g.int(0, 3)),
    podLabels: g.labels(g.int(0, 3)),
    podAnnotations: Object.fromEntries(Object.keys(g.labels(g.int(0, 3))).filter((k) => !/^(seccomp|container\.apparmor|apparmor)/.test(k)).map((k) => [k, g.text()])),
    nodeSelector: g.labels(g.int(0, 2)),
    config: {
      env: Object.fromEntries(Array.from({ length: g.int(0, 3) }, () => [g.envName(), g.text()])),
      files: Object.fromEntries(Array.from({ length: g.int(0, 3) }, () => [g.configKey(), g.text(200)])),
      ...(g.chance(0.3) ? { mountPath: `/etc/${g.chars(8, 'abc_.-')}x` } : {}),
    },
  };
  if (exposed && g.chance(0.6)) {
    spec.ingress = {
      ...(g.chance(0.5) ? { className: g.subdomain(40) } : {}),
      annotations: Object.fromEntries(Object.keys(g.labels(g.int(0, 2))).map((k) => [k, g.text()])),
      hosts: Array.from({ length: g.int(1, 2) }, () => ({ host: g.host(), paths: [{ path: g.pick(['/', '/api', '/a/b.c', '/x_y-z/']), pathType: g.pick(['Prefix', 'Exact', 'ImplementationSpecific']) }] })),
      ...(g.chance(0.5) ? { tls: [{ hosts: [g.host()], secretName: g.subdomain(60) }] } : {}),
    };
  }
  if (exposed && g.chance(0.3)) {
    spec.httpRoute = {
      parentRefs: [{ name: g.subdomain(60), ...(g.chance(0.5) ? { namespace: g.dnsLabel(g.len(63), false) } : {}), ...(g.chance(0.3) ? { sectionName: g.subdomain(30) } : {}) }],
      hostnames: Array.from({ length: g.int(0, 2) }, () => g.host()),
      paths: [g.pick(['/', '/api', '/a~b', '/a:b@c'])],
    };
  }
  const secrets: Record<string, unknown>[] = [];
  if (g.chance(0.5)) {
    const keys = Array.from({ length: g.int(1, 3) }, () => g.configKey());
    secrets.push({ name: g.dnsLabel(g.int(1, 40)), inline: { allowPlaintextInOutput: true, values: Object.fromEntries(keys.map((k) => [k, g.text()])) }, env: { [g.envName()]: g.pick(keys) }, ...(g.chance(0.5) ? { mountPath: `/run/secrets/${g.chars(6, 'abc')}` } : {}) });
  }
  if (g.chance(0.4)) secrets.push({ name: g.dnsLabel(g.int(1, 40)), existingSecret: g.subdomain(253), env: { [g.envName()]: g.configKey() } });
  if (g.chance(0.3)) {
    const key = g.configKey();
    secrets.push({ name: g.dnsLabel(g.int(1, 40)), external: { store: g.subdomain(60), data: [{ secretKey: key, remoteKey: g.text(20) || 'k' }] }, env: { [g.envName()]: key } });
  }
  const seen = new Set<string>();
  spec.secrets = secrets.filter((s) => !seen.has(s.name as string) && seen.add(s.name as string));
  if (g.chance(0.4)) spec.security = { writablePaths: [...new Set(Array.from({ length: g.int(1, 3) }, () => g.absPath()))] };
  if (g.chance(0.3)) spec.tolerations = [g.pick([{ key: g.qualifiedName(), operator: 'Exists' }, { key: g.qualifiedName(), value: g.labelValue(), effect: 'NoSchedule' }, { operator: 'Exists' }, { key: g.qualifiedName(), operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }])];
  if (g.chance(0.3)) spec.spread = { topologyKeys: [g.qualifiedName()] };
  if (g.chance(0.3)) spec.serviceAccount = { name: g.subdomain(253), annotations: Object.fromEntries(Object.keys(g.labels(1)).map((k) => [k, g.text()])) };
  if (g.chance(0.3)) spec.imagePullSecrets = [g.subdomain(100)];
  if (g.chance(0.2)) spec.priorityClassName = g.subdomain(100);
  if (g.chance(0.4)) {
    spec.networkPolicy = {
      ingressFrom: [{ podLabels: g.labels(1), namespaceLabels: g.labels(1) }],
      egressTo: [{ cidr: g.pick(['10.0.0.0/8', '0.0.0.0/0', 'fd00::/8', '192.168.1.7/32']), ports: [g.int(1, 65535)] }],
    };
  }
  if (exposed && g.chance(0.3)) spec.metrics = { port: (ports[0] as { name: string }).name, serviceMonitorLabels: g.labels(2) };
  if (migration) spec.migration = { command: ['migrate', g.text(10)] };
  return spec;
}
