import { dirname } from 'node:path';
import { LineCounter, parseAllDocuments, visit, isMap, isSeq, isPair, isScalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ServiceSpec } from './types';
import { SpecError, formatPath, type Finding, type FieldPath } from './errors';
import { validateAgainstSchema } from './validate';
import { resolveService } from '../model/resolve';
import { readYamlFast } from './fast-read';
import type { ServiceModel } from '../model/types';
import { readConfinedFile } from './confined-file';
import { LIMITS } from './limits';
import { checkSpecText, locateOffset } from './text-checks';
import { tooDeepAt } from './nesting';
import { AliasBudget, aliasProblems } from './aliases';
import { toPlain } from './alias-resolve';
import { duplicateKeyOffsets } from './unique-keys';
import { looksLikeSpec, NOT_A_SPEC } from './spec-like';
import { resolveEnvironments, type EnvironmentModel } from '../model/environments';

/** A service loaded from a file, with its location. */
export interface LoadedService {
  readonly file: string;
  readonly spec: ServiceSpec;
  readonly model: ServiceModel;
  /** Locates a field of this service's document (for problems found across services). */
  readonly locate?: (path: FieldPath) => Finding;
  /** The service's environments (`environments:` in the spec), each with its own model. @default none */
  readonly environments?: readonly EnvironmentModel[];
}

/** Where the files a spec names may be. */
export interface LoadOptions {
  /**
   * The directory every file a spec names (`config.filesFrom`) must be inside; when given, the
   * spec file itself must be inside it too.
   * @default the spec file's directory (the spec file itself may be anywhere)
   */
  readonly inputRoot?: string;
}

/**
 * Loads every service document of a spec file: YAML syntax, the JSON Schema and the semantic
 * checks; throws a SpecError locating every problem (file:line:column, field path). The input
 * root is $SLIPWAY_INPUT_ROOT when set (see {@link loadSpecFileWith}).
 */
export function loadSpecFile(file: string): LoadedService[] {
  return loadSpecFileWith(file, { inputRoot: process.env.SLIPWAY_INPUT_ROOT || undefined });
}

/**
 * {@link loadSpecFile} with explicit options. The file is read through the confined reader (a
 * regular UTF-8 file of at most 4 MiB); a file that fails to load and does not look like a spec
 * gets one error that shows none of its content.
 */
export function loadSpecFileWith(file: string, opts: LoadOptions): LoadedService[] {
  const read = readConfinedFile(file, {
    root: opts.inputRoot,
    maxBytes: LIMITS.specFileBytes,
    kind: 'spec file',
    tooLargeHint: 'split it into several spec files (a directory of specs is read as one fleet)',
  });
  if (!('text' in read)) throw new SpecError([{ file, line: read.line, path: '', message: `spec file ${read.problem}` }]);
  try {
    return loadSpecText(read.text, file, dirname(file), opts);
  } catch (e) {
    if (e instanceof SpecError && !looksLikeSpec(read.text)) throw new SpecError([{ file, path: '', message: NOT_A_SPEC }]);
    throw e;
  }
}

/**
 * Loads services from YAML text (see loadSpecFile). Valid specs take the fast path; a file the
 * fast reader declines, or with any problem, is read again by the `yaml` library, whose findings
 * carry lines and columns.
 */
export function loadSpecText(text: string, file: string, baseDir = '.', opts: LoadOptions = {}): LoadedService[] {
  checkSpecText(text, file);
  const ctx = { baseDir, inputRoot: opts.inputRoot };
  return loadValid(text, file, ctx) ?? loadLocated(text, file, ctx);
}

/** Where a spec's files are resolved from and confined to (see ResolveContext). */
interface SpecPlace {
  readonly baseDir: string;
  readonly inputRoot?: string;
}

/** The services of a file read by the fast reader, or undefined when it declines or anything is wrong. */
function loadValid(text: string, file: string, place: SpecPlace): LoadedService[] | undefined {
  const values = readYamlFast(text);
  if (!values) return undefined;
  const services: LoadedService[] = [];
  let located: LocatedDocument[] | undefined;
  for (let i = 0; i < values.length; i++) {
    if (validateAgainstSchema(values[i]).length) return undefined;
    const { model } = resolveService(values[i] as ServiceSpec, place);
    if (!model) return undefined;
    const envs = values[i] && (values[i] as ServiceSpec).environments ? resolveEnvironments(values[i] as ServiceSpec, model, place) : undefined;
    if (envs?.problems.all.length) return undefined;
    // Locating is for problems found later (across services, policies): parse the file with positions then.
    const locate = (path: FieldPath) => (located ??= readLocated(text, file))[i].locate(path);
    services.push({ file, spec: values[i] as ServiceSpec, model, locate, ...(envs ? { environments: envs.environments } : {}) });
  }
  const names = services.map((s) => s.model.fullname);
  return new Set(names).size === names.length ? services : undefined;
}

/** A document read by the `yaml` library, with a locator of its fields (the key node when `atKey`). */
interface LocatedDocument {
  readonly doc: Document;
  readonly locate: (path: FieldPath, atKey?: boolean) => Finding;
  /** Its value as plain data (aliases resolved from the alias pass). */
  readonly toJS: () => unknown;
}

/** The non-empty documents of a YAML text with their locators; throws a SpecError on syntax errors or no document. */
function readLocated(text: string, file: string): LocatedDocument[] {
  // Nesting first: `yaml` composes recursively (see nesting.ts).
  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    const message = `maps and lists nest deeper than ${LIMITS.nestingDepth} levels here (the limit): flatten the structure`;
    throw new SpecError([{ file, ...locateOffset(text, deep), path: '', message }]);
  }
  const lines = new LineCounter();
  // Duplicate keys are found below in linear time (`uniqueKeys` is quadratic in a map's width).
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const at = (offset: number) => lines.linePos(offset);
  const budget = new AliasBudget(text.length);
  if (!Array.isArray(docs)) throw new SpecError([{ file, path: '', message: 'not a YAML document stream' }]);
  const findings: Finding[] = [];
  for (const doc of docs) {
    for (const err of doc.errors) {
      const pos = at(err.pos[0]);
      findings.push({ file, line: pos.line, column: pos.col, path: '', message: `YAML syntax: ${err.message.split('\n')[0]}` });
    }
    visit(doc, {
      Pair(_key, pair) {
        const key = pair.key as Node | null;
        if (isScalar(key) && key.value !== null) return;
        const pos = key?.range ? at(key.range[0]) : undefined;
        const message = 'a map key must be a string (this one is a map, a list or null): quote it, or move the value under a named key';
        findings.push({ file, line: pos?.line, column: pos?.col, path: '', message });
      },
    });
    for (const offset of duplicateKeyOffsets(doc)) {
      const pos = at(offset);
      findings.push({ file, line: pos.line, column: pos.col, path: '', message: 'YAML syntax: Map keys must be unique (this key is already in its map): remove or rename one' });
    }
    for (const p of aliasProblems(doc, budget)) {
      const pos = at(p.offset);
      findings.push({ file, line: pos.line, column: pos.col, path: '', message: p.message });
    }
  }
  if (findings.length) throw new SpecError(findings);
  const real = docs.filter((d) => d.contents !== null);
  if (!real.length) throw new SpecError([{ file, path: '', message: 'holds no service: expected a YAML map with name, version and image' }]);
  return real.map((doc) => ({
    doc,
    toJS: () => toPlain(doc, budget.targets),
    locate: (path: FieldPath, atKey = false): Finding => {
      const node = findNode(doc, path, atKey);
      const pos = node?.range ? at(node.range[0]) : undefined;
      return { file, line: pos?.line, column: pos?.col, path: formatPath(path), message: '' };
    },
  }));
}

/** Loads services with the `yaml` library, locating every problem; throws a SpecError. */
function loadLocated(text: string, file: string, place: SpecPlace): LoadedService[] {
  const findings: Finding[] = [];
  const services: LoadedService[] = [];
  for (const { toJS, locate } of readLocated(text, file)) {
    let value: unknown;
    try {
      value = toJS();
    } catch (e) {
      // Unresolved aliases were reported above; what is left is an alias expanding too far.
      findings.push({ ...locate([]), message: `YAML aliases: ${(e as Error).message}; write the repeated values out instead` });
      continue;
    }
    const schemaProblems = validateAgainstSchema(value);
    if (schemaProblems.length) {
      findings.push(...schemaProblems.map((p) => ({ ...locate(p.path, p.atKey), message: p.message })));
      continue;
    }
    const { model, problems } = resolveService(value as ServiceSpec, place);
    if (!model) {
      findings.push(...problems.all.map((p) => ({ ...locate(p.path, p.atKey), message: p.message })));
      continue;
    }
    const envs = (value as ServiceSpec).environments ? resolveEnvironments(value as ServiceSpec, model, place) : undefined;
    if (envs?.problems.all.length) {
      findings.push(...envs.problems.all.map((p) => ({ ...locate(p.path, p.atKey), message: p.message })));
      continue;
    }
    services.push({ file, spec: value as ServiceSpec, model, locate: (path) => locate(path), ...(envs ? { environments: envs.environments } : {}) });
  }
  const names = services.map((s) => s.model.fullname);
  const second = names.findIndex((n, i) => names.indexOf(n) !== i);
  if (second >= 0) {
    const message = `two services render as "${names[second]}": give one a different name or instance`;
    findings.push({ ...(services[second].locate?.(['name']) ?? { file, path: 'name' }), message });
  }
  if (findings.length) throw new SpecError(findings);
  return services;
}

/**
 * Each map's pairs by key (the first pair of a key, as a search from the start finds it), built
 * once per map: locating N problems in a map of N keys is then N lookups, not N² comparisons.
 */
const pairIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();
function pairByKey(map: YAMLMap, key: string): Pair | undefined {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      if (isPair(p) && isScalar(p.key) && !index.has(String(p.key.value))) index.set(String(p.key.value), p);
    }
    pairIndexes.set(map, index);
  }
  return index.get(key);
}

/** Finds the YAML node at a field path (the key node when `atKey`), or the deepest existing parent. */
function findNode(doc: Document, path: FieldPath, atKey: boolean): Node | undefined {
  let node: unknown = doc.contents;
  let found: Node | undefined = node as Node;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = pairByKey(node, String(seg));
      if (!pair) return found;
      if (atKey && i === path.length - 1) return pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else {
      return found;
    }
    if (node && typeof node === 'object' && 'range' in node) found = node as Node;
  }
  return found;
}
