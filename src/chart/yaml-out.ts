import { Document, Scalar, visit } from 'yaml';
import { emitYaml } from '../app/fast-yaml';

/**
 * True when a plain (unquoted) string could be read as something else by some YAML reader:
 * YAML 1.1 readers (Helm's values, Kubernetes' sigs.k8s.io/yaml) take `on`/`yes`/`y` as booleans,
 * `0o14`/`1_000`/`1:20` as numbers; YAML 1.2 readers differ again. Such strings are double-quoted.
 */
export function isAmbiguous(s: string): boolean {
  return s === '' || /^[-+.0-9]/.test(s) || /^(y|yes|n|no|true|false|on|off|null|~|<<|=)$/i.test(s) || UNICODE_BREAK.test(s);
}

/**
 * NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR: line breaks to YAML 1.1 readers (libyaml, go-yaml,
 * so Helm and kubectl), but the `yaml` library writes them raw, even inside double quotes, where a
 * reader folds them into a space. Strings with one are double-quoted ({@link isAmbiguous}) and the
 * character is written as a `\uXXXX` escape ({@link escapeUnicodeBreaks}).
 */
const UNICODE_BREAK = /[\u0085\u2028\u2029]/;

/** Writes NEL/LS/PS as `\uXXXX`: only ever inside the double-quoted scalars {@link isAmbiguous} forces. */
export function escapeUnicodeBreaks(yaml: string): string {
  return yaml.replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Options of {@link toYaml}. */
export interface ToYamlOptions {
  /**
   * Write multi-line strings as literal block scalars (readable values files). Off for templates,
   * where every string must stay on one line so template tokens keep their indentation.
   * @default false
   */
  readonly blockScalars?: boolean;
}

/**
 * Deterministic YAML for chart files: no line folding, no anchors/aliases, and strings that a
 * YAML 1.1 or 1.2 reader could mistake for another type double-quoted (keys included).
 */
export function toYaml(value: unknown, opts: ToYamlOptions = {}): string {
  // Fast path (same bytes, see src/app/fast-yaml.ts); the library handles what it cannot.
  const fast = emitYaml(value, { quote: isAmbiguous });
  if (fast !== undefined) return fast;
  const doc = new Document(value, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      // Block scalars go-yaml reads differently are double-quoted instead: one with a tab ("found a
      // tab character where an indentation space is expected"), and one that needs keep chomping
      // (`|+`, two or more trailing line breaks), which takes in the blank line that follows it.
      const v = node.value;
      if (isAmbiguous(v) || (v.includes('\n') && (v.includes('\t') || /(^|\n)[ ]*\n$/.test(v)))) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return escapeUnicodeBreaks(doc.toString({ lineWidth: 0, blockQuote: opts.blockScalars ? 'literal' : false }));
}

/** A map key as YAML writes it (quoted when needed), without the `: `. */
export function yamlKey(key: string): string {
  return toYaml({ [key]: null }).replace(/: null\n$/, '');
}
