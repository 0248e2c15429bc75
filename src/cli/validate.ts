import { formatPath, type Finding } from '../spec/errors';
import { expandSpecArgs, type SpecSearch } from './inputs';
import { loadChunk, duplicateFindings } from './pipeline';
import { policyWarnings } from './policy';
import { EXIT, out, plural, printErrors, printWarnings, palette } from './output';
import { inputRootOf, type InputRootOption } from './input-root';

/** Options of `slipway validate`. */
export interface ValidateOptions extends Pick<SpecSearch, 'recursive'>, InputRootOption {
  /** Policy warnings fail too (exit 1). @default false */
  readonly strict?: boolean;
  /** Print the findings as JSON on stdout. @default false */
  readonly json?: boolean;
}

/** A policy warning located in its spec file. */
export interface Warning extends Finding {
  readonly rule: string;
}

/**
 * `slipway validate <specs...>`: schema, semantic and cross-service checks (errors, exit 1) and
 * policy checks (warnings; exit 1 only with `--strict`). Every file is checked; nothing is written.
 */
export async function validateCommand(specs: string[], opts: ValidateOptions): Promise<number> {
  const inputRoot = inputRootOf(opts);
  const files = expandSpecArgs(specs, { recursive: opts.recursive });
  const { findings: errors, services } = loadChunk(files, { inputRoot });
  errors.push(...duplicateFindings(services.map((s) => ({ file: s.file, fullname: s.model.fullname }))));
  if (!errors.length) errors.push(...linkFindings(services));
  const warnings: Warning[] = errors.length ? [] : services.flatMap((svc) => policyWarnings(svc).map((w) => {
    const at = svc.locate?.(w.path) ?? { file: svc.file, path: formatPath(w.path) };
    return { ...at, rule: w.rule, message: w.message };
  }));
  const failed = errors.length > 0 || (opts.strict === true && warnings.length > 0);

  if (opts.json) {
    out(JSON.stringify({ valid: !failed, files: files.length, services: services.length, errors, warnings }, null, 2));
    return failed ? EXIT.FINDINGS : EXIT.OK;
  }
  if (errors.length) printErrors(errors, '');
  printWarnings(warnings);
  const summary = `${plural(files.length, 'file')}, ${plural(services.length, 'service')}: ${plural(errors.length, 'error')}, ${plural(warnings.length, 'warning')}${opts.strict && warnings.length ? ' (--strict: warnings fail)' : ''}`;
  const q = palette(process.stdout);
  out(failed ? q.red(summary) : q.green(summary));
  return failed ? EXIT.FINDINGS : EXIT.OK;
}

/** Cross-service problems (a sidecar naming a missing host, ...), as findings. */
function linkFindings(services: Parameters<typeof policyWarnings>[0][]): Finding[] {
  const { linkServices } = require('../app/link') as typeof import('../app/link');
  const { SpecError } = require('../spec/errors') as typeof import('../spec/errors');
  try {
    const linked = linkServices(services);
    // Environments whose overrides no values file can express (found when their charts render).
    const { environmentFindings } = require('../app/environment-files') as typeof import('../app/environment-files');
    return environmentFindings(linked);
  } catch (e) {
    if (e instanceof SpecError) return [...e.findings];
    throw e;
  }
}
