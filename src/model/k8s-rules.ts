/**
 * Kubernetes' own syntax rules for names, labels, ports, hosts and keys (as the API server's
 * apimachinery validation states them), each a small function returning what is wrong in words,
 * or undefined when the value is accepted. Messages say what the value must be, so a caller can
 * prefix them with the field and what the value becomes.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;
const HTTP_HEADER_NAME = /^[-A-Za-z0-9]+$/;

/** Longest DNS-1123 label, DNS-1035 label, label value and name part of a qualified name. */
export const LABEL_MAX = 63;
/** Longest DNS-1123 subdomain (and prefix of a qualified name). */
export const SUBDOMAIN_MAX = 253;
/** Longest IANA service name (a container port name). */
export const PORT_NAME_MAX = 15;
/** Largest ConfigMap or Secret: the sum of its values, 1 MiB. */
export const CONFIG_MAX_BYTES = 1024 * 1024;
/** Largest sum of an object's annotation keys and values, 256 KiB. */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

const tooLong = (s: string, max: number) => `at most ${max} characters (it has ${s.length})`;

/** A DNS-1123 label (most object names that are also label values or hostnames: Job, volume, container). */
export function dns1123Label(s: string): string | undefined {
  if (!s.length) return 'must not be empty';
  if (s.length > LABEL_MAX) return `must be ${tooLong(s, LABEL_MAX)}`;
  if (!DNS1123_LABEL.test(s)) return 'must be lower-case letters, digits and "-", starting and ending with a letter or digit';
  return undefined;
}

/** A DNS-1123 subdomain (most object names: ConfigMap, Secret, Deployment, ServiceAccount, IngressClass). */
export function dns1123Subdomain(s: string): string | undefined {
  if (!s.length) return 'must not be empty';
  if (s.length > SUBDOMAIN_MAX) return `must be ${tooLong(s, SUBDOMAIN_MAX)}`;
  if (!DNS1123_SUBDOMAIN.test(s)) return 'must be lower-case letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit';
  return undefined;
}

/** A DNS-1035 label (a Service name): a DNS-1123 label that starts with a letter. */
export function dns1035Label(s: string): string | undefined {
  if (!s.length) return 'must not be empty';
  if (s.length > LABEL_MAX) return `must be ${tooLong(s, LABEL_MAX)}`;
  if (!DNS1035_LABEL.test(s)) {
    return /^[0-9]/.test(s) ? 'must start with a letter (a Service name is a DNS-1035 label)' : 'must be lower-case letters, digits and "-", starting with a letter and ending with a letter or digit';
  }
  return undefined;
}

/** A qualified name: a label or annotation key, `[prefix/]name` with a DNS-1123 subdomain prefix. */
export function qualifiedName(s: string): string | undefined {
  const parts = s.split('/');
  if (parts.length > 2) return 'must be a name with at most one "/" (an optional DNS subdomain prefix, then "/", then the name)';
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (prefix !== undefined) {
    if (!prefix.length) return 'must not start with "/": the prefix before "/" may not be empty';
    const p = dns1123Subdomain(prefix);
    if (p) return `prefix "${prefix}" ${p}`;
  }
  if (!name.length) return 'must have a name (after the "/" prefix, if any)';
  if (name.length > LABEL_MAX) return `name part "${name}" must be ${tooLong(name, LABEL_MAX)}`;
  if (!QUALIFIED_NAME.test(name)) return `name part "${name}" must be letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
  return undefined;
}

/** A label value: empty, or up to 63 letters, digits, `-`, `_`, `.` starting and ending with a letter or digit. */
export function labelValue(s: string): string | undefined {
  if (s.length > LABEL_MAX) return `must be ${tooLong(s, LABEL_MAX)}`;
  if (!LABEL_VALUE.test(s)) return 'must be empty or letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  return undefined;
}

/** An IANA service name (a container port name): 1-15 lower-case letters, digits and `-`, a letter among them, no `--`. */
export function ianaServiceName(s: string): string | undefined {
  if (!s.length) return 'must not be empty';
  if (s.length > PORT_NAME_MAX) return `must be ${tooLong(s, PORT_NAME_MAX)} (an IANA service name)`;
  if (!/^[-a-z0-9]+$/.test(s)) return 'must be lower-case letters, digits and "-" (an IANA service name)';
  if (!/[a-z]/.test(s)) return 'must contain at least one letter (an IANA service name)';
  if (s.includes('--')) return 'must not contain "--" (an IANA service name)';
  if (s.startsWith('-') || s.endsWith('-')) return 'must not start or end with "-" (an IANA service name)';
  return undefined;
}

/** An Ingress host: a DNS-1123 subdomain, optionally `*.` before it; not an IP address. */
export function ingressHost(s: string, allowWildcard = true): string | undefined {
  if (isIPv4(s) || isIPv6(s)) return 'must be a DNS name, not an IP address';
  if (s.startsWith('*.')) {
    if (!allowWildcard) return 'must not be a wildcard here';
    const rest = dns1123Subdomain(s.slice(2));
    return rest && `after "*." ${rest}`;
  }
  if (s.includes('*')) return 'must hold "*" only as the whole first part ("*.example.com")';
  return dns1123Subdomain(s);
}

/** A ConfigMap or Secret key: letters, digits, `-`, `_`, `.`, not `.` nor starting with `..`, at most 253 characters. */
export function configMapKey(s: string): string | undefined {
  if (!s.length) return 'must not be empty';
  if (s.length > SUBDOMAIN_MAX) return `must be ${tooLong(s, SUBDOMAIN_MAX)}`;
  if (s === '.') return 'must not be "."';
  if (s.startsWith('..')) return s === '..' ? 'must not be ".."' : 'must not start with ".."';
  if (!CONFIGMAP_KEY.test(s)) return 'must be letters, digits, "-", "_" and "." only (no "/" or spaces): it is a file name in a flat ConfigMap/Secret';
  return undefined;
}

/** An HTTP header name (probe headers). */
export function httpHeaderName(s: string): string | undefined {
  return HTTP_HEADER_NAME.test(s) ? undefined : 'must be an HTTP header name: letters, digits and "-"';
}

/** An IPv4 or IPv6 CIDR such as 10.0.0.0/8 or fd00::/8. */
export function cidr(s: string): string | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  const bad = 'must be a CIDR such as 10.0.0.0/8 or fd00::/8';
  if (!m) return bad;
  const bits = Number(m[2]);
  if (isIPv4(m[1])) return bits <= 32 ? undefined : bad;
  if (isIPv6(m[1])) return bits <= 128 ? undefined : bad;
  return bad;
}

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.split('::').length > 2) return false;
  const groups = s.split(':');
  if (groups.length < 3 || groups.length > 8) return false;
  const last = groups[groups.length - 1];
  if (last.includes('.') && !isIPv4(last)) return false;
  return groups.every((g, i) => g === '' ? true : (i === groups.length - 1 && g.includes('.')) || /^[0-9a-fA-F]{1,4}$/.test(g)) && (s.includes('::') || groups.length === (last.includes('.') ? 7 : 8));
}

/** The UTF-8 size of a string in bytes (sizes are counted in bytes by the API server). */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Sanitizes a version for a label value as Helm does for its chart label: `+` becomes `_`. */
export function versionLabel(version: string): string {
  return version.replace(/\+/g, '_');
}
