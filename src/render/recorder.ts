import { ApiObject, JsonPatch } from 'cdk8s';
import { goJson } from './go-json';

/**
 * Records, while the model is rendered, how each rendered field relates to Helm values:
 * bound to a values key, produced by a helper template, or present only under a condition.
 * The manifests are the objects with every binding at its default; the chart serializes the same
 * objects with each binding replaced by its template expression. Nothing is re-derived later.
 */

/** A Helm condition: `.Values.<key>` (negated when `negate`). */
export interface Condition {
  readonly key: string;
  readonly negate?: boolean;
}

/** How one field of a rendered object is produced in the chart. */
export type Binding =
  /** A scalar read from `.Values.<key>` (default: the rendered value). */
  | { readonly kind: 'scalar'; readonly path: string; readonly key: string }
  /**
   * A map or list read from `.Values.<key>`; omitted when empty if `empty` is set. With `without`,
   * those keys of the map are left out here (the values key's default comes from its other bindings).
   */
  | { readonly kind: 'block'; readonly path: string; readonly key: string; readonly empty?: unknown; readonly without?: readonly string[] }
  /** A scalar produced by a template expression (e.g. a name from the release). */
  | { readonly kind: 'expr'; readonly path: string; readonly expr: string }
  /** A map produced by a named helper template, merged with an optional values map (below it) and fixed entries (above it). */
  | { readonly kind: 'include'; readonly path: string; readonly template: string; readonly extraKey?: string; readonly fixed?: Readonly<Record<string, string>> }
  /** A map/list whose rendered entries are followed by the entries of `.Values.<key>`. */
  | { readonly kind: 'merge'; readonly path: string; readonly key: string; readonly empty: unknown[] | Record<string, never> }
  /** A field present only when the condition holds. */
  | { readonly kind: 'when'; readonly path: string; readonly condition: Condition };

/** A documented values key with its default. */
export interface ValueDecl {
  readonly key: string;
  readonly doc: string;
  default?: unknown;
}

/** Rendering mode: plain manifests (bindings at defaults, disabled parts removed) or chart source. */
export type RenderMode = 'manifests' | 'chart';

/** Per-service record of bindings, toggles and values. */
export class Recorder {
  private readonly bindings = new Map<ApiObject, Binding[]>();
  private readonly toggles = new Map<ApiObject, Condition>();
  private readonly values = new Map<string, ValueDecl>();
  /** Template file name per object (chart only). */
  private readonly files = new Map<ApiObject, string>();

  constructor(readonly chartName: string) {}

  /** Declares a values key with its default (null: off until a user sets it) and its `## @param` doc. */
  declare(key: string, doc: string, value?: unknown): void {
    const existing = this.values.get(key);
    if (existing && value !== undefined && existing.default !== undefined && goJson(existing.default) !== goJson(value)) {
      throw new Error(`internal: values key ${key} declared with two defaults`);
    }
    this.values.set(key, { key, doc: existing?.doc || doc, default: value !== undefined ? value : existing?.default });
  }

  /** Binds a scalar field of `obj` to a values key; the default is the rendered value. */
  scalar(obj: Binding[], path: string, key: string, doc: string): void {
    this.declare(key, doc);
    this.add(obj, { kind: 'scalar', path, key });
  }

  /**
   * Binds a map/list field of `obj` to a values key; the default is the rendered value. With
   * `empty` ([] or {}), the field is omitted when the value is empty, and `empty` is the default
   * when the field was not rendered.
   */
  block(obj: Binding[], path: string, key: string, doc: string, empty?: unknown): void {
    this.declare(key, doc);
    this.add(obj, { kind: 'block', path, key, empty });
  }

  /**
   * Binds a map field of `obj` to a values map minus some of its keys (`omit` in the template): the
   * rendered map must be the values key's default without them (checked by resolveValues). Used
   * where part of a shared map does not apply, e.g. the pod security context's port sysctl on a
   * pod that binds no port.
   */
  blockWithout(obj: Binding[], path: string, key: string, doc: string, without: readonly string[]): void {
    this.declare(key, doc);
    this.add(obj, { kind: 'block', path, key, without });
  }

  /** A scalar field produced by a template expression. */
  expr(obj: Binding[], path: string, expr: string): void {
    this.add(obj, { kind: 'expr', path, expr });
  }

  /** A map field produced by a `_helpers.tpl` template (name without the chart prefix). */
  include(obj: Binding[], path: string, template: string, extraKey?: string, doc?: string, fixed?: Readonly<Record<string, string>>): void {
    if (extraKey) this.declare(extraKey, doc ?? '');
    this.add(obj, { kind: 'include', path, template, extraKey, ...(fixed && Object.keys(fixed).length ? { fixed } : {}) });
  }

  /**
   * A map/list at `path` extended by `.Values.<key>` (e.g. podAnnotations, extraEnvVars). Returns
   * the entries to render: in manifests mode the defaults are merged in; in chart mode the
   * template appends them, so the rendered object holds only the fixed entries.
   */
  merge<T extends unknown[] | Record<string, unknown>>(obj: Binding[], path: string, key: string, doc: string, defaults: T, mode: RenderMode): T {
    this.declare(key, doc, defaults);
    this.add(obj, { kind: 'merge', path, key, empty: (Array.isArray(defaults) ? [] : {}) as unknown[] | Record<string, never> });
    return mode === 'chart' ? ((Array.isArray(defaults) ? [] : {}) as T) : defaults;
  }

  /** Attaches bindings collected while an object's props were computed. */
  attach(obj: ApiObject, bindings: Binding[]): void {
    this.bindings.set(obj, [...(this.bindings.get(obj) ?? []), ...bindings]);
  }

  /** Makes a field conditional. */
  when(obj: Binding[], path: string, condition: Condition): void {
    this.add(obj, { kind: 'when', path, condition });
  }

  /** Puts a whole object behind a condition. */
  toggle(obj: ApiObject, condition: Condition, file?: string): void {
    this.toggles.set(obj, condition);
    if (file) this.files.set(obj, file);
  }

  /** Names the template file an object is written to. */
  fileFor(obj: ApiObject, file: string): void {
    this.files.set(obj, file);
  }

  /** Whether a condition holds with the default values. */
  holds(c: Condition): boolean {
    const v = this.values.get(c.key);
    if (!v || v.default === undefined) throw new Error(`internal: condition on undeclared values key ${c.key}`);
    return goTruthy(v.default) !== Boolean(c.negate);
  }

  /** The default of a declared values key (undefined when not declared or not yet known). */
  defaultOf(key: string): unknown {
    return this.values.get(key)?.default;
  }

  /**
   * Removes the bindings of `obj` that `drop` selects (a field a patch changed is then fixed in the
   * chart); the values key of a dropped scalar/block binding keeps `json`'s value as its default.
   */
  dropBindings(obj: ApiObject, json: unknown, drop: (b: Binding) => boolean): Binding[] {
    const all = this.bindings.get(obj) ?? [];
    const dropped = all.filter(drop);
    for (const b of dropped) {
      if (b.kind !== 'scalar' && b.kind !== 'block') continue;
      if (b.kind === 'block' && b.without) continue; // not the key's full value
      const v = getAt(json, b.path);
      this.declare(b.key, '', v === undefined && b.kind === 'block' ? b.empty : v);
    }
    this.bindings.set(obj, all.filter((b) => !dropped.includes(b)));
    return dropped;
  }

  bindingsOf(obj: ApiObject): readonly Binding[] {
    return this.bindings.get(obj) ?? [];
  }
  toggleOf(obj: ApiObject): Condition | undefined {
    return this.toggles.get(obj);
  }
  fileOf(obj: ApiObject): string | undefined {
    return this.files.get(obj);
  }

  /**
   * Fills values defaults from the rendered objects (chart mode) and checks that a key bound in
   * several places has one default. Returns the declarations in a stable order.
   */
  resolveValues(objects: readonly ApiObject[]): ValueDecl[] {
    const partial: [ApiObject, Extract<Binding, { kind: 'block' }>, unknown][] = [];
    for (const obj of objects) {
      const json = obj.toJson();
      for (const b of this.bindingsOf(obj)) {
        if (b.kind !== 'scalar' && b.kind !== 'block') continue;
        const found = getAt(json, b.path);
        if (b.kind === 'block' && b.without) {
          partial.push([obj, b, found]);
          continue;
        }
        const value = found === undefined && b.kind === 'block' ? b.empty : found;
        if (value === undefined) throw new Error(`internal: ${obj.kind}/${obj.name} has no field at ${b.path} for ${b.key}`);
        this.declare(b.key, '', value);
      }
    }
    for (const [obj, b, found] of partial) {
      const dflt = this.values.get(b.key)?.default;
      if (!dflt || typeof dflt !== 'object' || Array.isArray(dflt)) throw new Error(`internal: ${obj.kind}/${obj.name} binds ${b.path} to part of ${b.key}, which has no map default`);
      const expected = Object.fromEntries(Object.entries(dflt).filter(([k]) => !b.without!.includes(k)));
      if (goJson(expected) !== goJson(found)) throw new Error(`internal: ${obj.kind}/${obj.name} ${b.path} is not ${b.key} without ${b.without!.join(', ')}`);
    }
    return [...this.values.values()];
  }

  /**
   * Manifests mode: removes objects whose toggle is off and fields whose condition is off, as cdk8s
   * JSON patches, so a user's own `app.synth()` yields exactly the default render.
   */
  project(objects: readonly ApiObject[]): void {
    for (const obj of objects) {
      const toggle = this.toggles.get(obj);
      if (toggle && !this.holds(toggle)) {
        obj.node.scope!.node.tryRemoveChild(obj.node.id);
        continue;
      }
      const off = this.bindingsOf(obj).filter((b): b is Extract<Binding, { kind: 'when' }> => b.kind === 'when' && !this.holds(b.condition));
      if (!off.length) continue; // toJson (cdk8s resolve) is costly: only when a field may go
      const json = obj.toJson();
      for (const b of off) if (getAt(json, b.path) !== undefined) obj.addJsonPatch(JsonPatch.remove(b.path));
    }
  }

  /**
   * The manifests form of an object rendered in chart mode, from its JSON: undefined when its
   * toggle is off; else a copy with the `merge` defaults added and the fields whose condition is
   * off removed, as manifests mode renders it (cdk8s' sorted keys, no map left empty by a removal;
   * test/foundation/projection.test.ts holds the two equal).
   */
  manifestJson(obj: ApiObject, chartJson: Record<string, unknown>): Record<string, unknown> | undefined {
    const toggle = this.toggles.get(obj);
    if (toggle && !this.holds(toggle)) return undefined;
    const json = structuredClone(chartJson);
    const bindings = this.bindingsOf(obj);
    for (const b of bindings) {
      if (b.kind !== 'merge') continue;
      const defaults = this.values.get(b.key)?.default;
      if (!goTruthy(defaults)) continue;
      const [parent, key] = fieldAt(json, b.path, obj);
      const current = parent[key];
      // cdk8s sorts the keys of every map it renders, inside list items too.
      if (Array.isArray(current)) current.push(...(sortedDeep(defaults) as unknown[]));
      else if (current && typeof current === 'object') sortKeys(Object.assign(current as Record<string, unknown>, sortedDeep(defaults)));
      else sortKeys(Object.assign(parent, { [key]: sortedDeep(defaults) }));
    }
    for (const b of bindings) {
      if (b.kind === 'when' && !this.holds(b.condition)) removeField(json, parsePointer(b.path));
    }
    return json;
  }

  private add(list: Binding[], b: Binding): void {
    list.push(b);
  }
}

/** Reads a JSON pointer. */
export function getAt(root: unknown, pointer: string): unknown {
  return valueAt(root, parsePointer(pointer));
}

/** The value at a path of segments, or undefined. */
function valueAt(root: unknown, segs: readonly string[]): unknown {
  let cur: any = root;
  for (const seg of segs) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[seg];
  }
  return cur;
}

/** The map holding the field at a JSON pointer, and the field's key. */
function fieldAt(root: Record<string, unknown>, pointer: string, obj: ApiObject): [Record<string, unknown>, string] {
  const segs = parsePointer(pointer);
  const parent = valueAt(root, segs.slice(0, -1));
  if (!parent || typeof parent !== 'object' || Array.isArray(parent)) throw new Error(`internal: ${obj.kind}/${obj.name} has no map holding ${pointer}`);
  return [parent as Record<string, unknown>, segs[segs.length - 1]];
}

/** Removes the field at `segs` (if present), then any map the removal left empty. */
function removeField(root: unknown, segs: readonly string[]): void {
  const chain: unknown[] = [root];
  for (const s of segs.slice(0, -1)) {
    const cur = chain[chain.length - 1];
    if (cur === null || typeof cur !== 'object') return;
    chain.push((cur as Record<string, unknown>)[s]);
  }
  for (let i = segs.length - 1; i >= 0; i--) {
    const parent = chain[i] as Record<string, unknown> | undefined;
    if (!parent || typeof parent !== 'object' || !(segs[i] in parent)) return;
    const child = parent[segs[i]];
    const emptied = i === segs.length - 1 || (child !== null && typeof child === 'object' && !Array.isArray(child) && Object.keys(child).length === 0);
    if (!emptied) return;
    delete parent[segs[i]];
  }
}

/** A deep copy with every map's keys in sorted order (cdk8s' order). */
export function sortedDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedDeep);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortedDeep((v as Record<string, unknown>)[k]);
  return out;
}

/** Re-inserts a map's keys in sorted order (cdk8s' order). */
function sortKeys(map: Record<string, unknown>): void {
  const entries = Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [k] of entries) delete map[k];
  for (const [k, v] of entries) map[k] = v;
}

/** Splits a JSON pointer into segments (a fresh array; the same few hundred pointers recur in every service, so they are memoized). */
export function parsePointer(pointer: string): string[] {
  let segs = parsedPointers.get(pointer);
  if (!segs) {
    segs = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (parsedPointers.size < 10_000) parsedPointers.set(pointer, segs);
  }
  return segs.slice();
}
const parsedPointers = new Map<string, string[]>();

/** Escapes one JSON pointer segment. */
export function seg(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Go template truthiness: empty maps, lists and strings, zero and false are false. */
export function goTruthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}
