import type { ServiceSpec } from './types';
import { SpecError, formatPath, type Finding } from './errors';
import { validateAgainstSchema } from './validate';
import { resolveService, type ResolveContext } from '../model/resolve';
import type { ServiceModel } from '../model/types';

/**
 * Validates TypeScript props with the same schema and checks as spec files, and resolves them.
 * Findings name the field path (and `source`, e.g. the construct path, in place of a file).
 */
export function modelFromProps(spec: ServiceSpec, source: string, ctx: ResolveContext = {}): ServiceModel {
  const schemaProblems = validateAgainstSchema(spec);
  if (schemaProblems.length) {
    throw new SpecError(schemaProblems.map((p): Finding => ({ file: source, path: formatPath(p.path), message: p.message })));
  }
  const { model, problems } = resolveService(spec, ctx);
  if (!model) throw new SpecError(problems.all.map((p) => ({ file: source, path: formatPath(p.path), message: p.message })));
  return model;
}
