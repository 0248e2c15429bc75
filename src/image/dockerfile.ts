/**
 * A tiny writer for Dockerfile text: stages of instructions, continuation lines, comments. Values
 * reach it only through the quoting functions of ./quote (callers quote their argument lines).
 */
import { comment as commentLine, dockerArg } from './quote';

/** One Dockerfile stage as lines of text. */
export class Stage {
  private readonly lines: string[] = [];

  /**
   * Starts a stage `FROM [--platform=...] <image> AS <name>`, optionally preceded by comment lines.
   * @param platform e.g. `$BUILDPLATFORM` for stages that cross-compile
   */
  constructor(image: string, name: string, comments: readonly string[] = [], platform?: string) {
    for (const c of comments) this.comment(c);
    this.lines.push(`FROM ${platform ? `--platform=${platform} ` : ''}${dockerArg(image)} AS ${dockerArg(name)}`);
  }

  /** A `# comment` line (multi-line text becomes several lines). */
  comment(text: string): this {
    for (const l of text.split('\n')) this.lines.push(commentLine(l));
    return this;
  }

  /** An instruction; several argument lines are joined with ` \` continuations. */
  add(keyword: string, ...argLines: string[]): this {
    if (!argLines.length) return this;
    const pad = ' '.repeat(keyword.length + 1);
    this.lines.push(`${keyword} ${argLines.join(` \\\n${pad}`)}`);
    return this;
  }

  /** `RUN [mounts...] cmd`: mounts (e.g. `--mount=type=cache,target=...`) and command lines. */
  run(commandLines: readonly string[], mounts: readonly string[] = []): this {
    return this.add('RUN', ...mounts, ...commandLines);
  }

  /** One `ARG` instruction per name (one per line is what every builder understands). */
  args(...names: string[]): this {
    for (const n of names) this.lines.push(`ARG ${dockerArg(n)}`);
    return this;
  }

  /** Adds lines produced elsewhere (e.g. writable-path instructions). */
  raw(lines: readonly string[]): this {
    this.lines.push(...lines);
    return this;
  }

  /** The stage's text, one instruction per line. */
  toString(): string {
    return this.lines.join('\n');
  }
}

/** Joins a header and stages into a Dockerfile (blank line between stages, final newline). */
export function dockerfile(header: readonly string[], stages: readonly Stage[]): string {
  return [header.join('\n'), ...stages.map(String)].join('\n\n') + '\n';
}
