/**
 * Placeholder tokens: plain alphanumeric words put into an object before it is serialized, then
 * expanded into template text. A token stands either for a scalar value on its line (`inline`) or
 * for whole lines at the token line's indentation (`field`, `begin`, `end`, `append`).
 */

/** Expands a whole-line token into template lines, given the column the token starts at. */
export type LineExpansion = (indent: number) => string[];

/** What a token stands for. */
export type TokenKind =
  /** A scalar: `{{ <expr> | toJson }}` in place of the token. */
  | 'inline'
  /** A whole field (`key: ...` lines); the token is a map key. */
  | 'field'
  /** `{{- if ... }}` before a conditional field; the token is a map key. */
  | 'begin'
  /** `{{- end }}` after a conditional field; the token is a map key. */
  | 'end'
  /** Entries appended from a values key; the token is the last map key or list element. */
  | 'append';

interface TokenDef {
  readonly kind: TokenKind;
  readonly inline?: string;
  readonly lines?: LineExpansion;
}

/** The tokens of one template file, with a prefix that occurs nowhere in the object's data. */
export class Tokens {
  readonly prefix: string;
  private readonly defs = new Map<string, TokenDef>();

  /** `data`: the serialized object; the prefix is chosen so no token can clash with it. */
  constructor(data: string) {
    let prefix = 'slipwaytok';
    while (data.includes(prefix)) prefix += 'q';
    this.prefix = prefix;
  }

  /** A token replaced by `text` within its line. */
  inline(text: string): string {
    return this.add({ kind: 'inline', inline: text });
  }

  /** A token replaced by whole lines. */
  lines(kind: Exclude<TokenKind, 'inline'>, lines: LineExpansion): string {
    return this.add({ kind, lines });
  }

  get(token: string): TokenDef | undefined {
    return this.defs.get(token);
  }

  /** True for tokens that occupy a whole line (everything but `inline`). */
  isLineToken(s: string): boolean {
    const d = this.defs.get(s);
    return d !== undefined && d.kind !== 'inline';
  }

  /** Matches every token of this set in a line. */
  pattern(): RegExp {
    return new RegExp(`${this.prefix}\\d+x`, 'g');
  }

  private add(def: TokenDef): string {
    // The trailing `x` keeps `tok1x` from being a prefix of `tok12x`.
    const token = `${this.prefix}${this.defs.size}x`;
    this.defs.set(token, def);
    return token;
  }
}
