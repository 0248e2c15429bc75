/**
 * RFC 6902 `add`, `replace` and `remove` on plain JSON, strictly: a path into a missing parent, a
 * `replace` or `remove` of a missing field, or a list index out of range is an error (with what
 * exists there), never a silent no-op. Used to check `patches` before the renderer applies them
 * with cdk8s' `addJsonPatch`, which follows the same RFC.
 */

/** One operation. */
export interface PatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: string;
  readonly value?: unknown;
}

/** Splits a JSON pointer into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Applies one operation to `doc` in place; returns an error message, or undefined when applied. */
export function applyOperation(doc: Record<string, unknown>, op: PatchOperation): string | undefined {
  const segs = pointerSegments(op.path);
  if (!segs.length) return 'cannot replace the whole object: patch its fields';
  if ((op.op === 'add' || op.op === 'replace') && op.value === undefined) return `needs a value for "${op.op}"`;
  let parent: unknown = doc;
  for (let i = 0; i < segs.length - 1; i++) {
    const next = child(parent, segs[i]);
    if (next === undefined || next === null || typeof next !== 'object') {
      return `has no ${Array.isArray(parent) ? 'list item' : 'field'} "${segs[i]}" at /${segs.slice(0, i + 1).join('/')}${keysHint(parent)}`;
    }
    parent = next;
  }
  const last = segs[segs.length - 1];
  const value = op.value === undefined ? undefined : structuredClone(op.value);
  if (Array.isArray(parent)) {
    const index = last === '-' && op.op === 'add' ? parent.length : /^(0|[1-9][0-9]*)$/.test(last) ? Number(last) : NaN;
    if (Number.isNaN(index)) return `"${last}" is not a list index (0, 1, ...${op.op === 'add' ? ' or - to append' : ''})`;
    const max = op.op === 'add' ? parent.length : parent.length - 1;
    if (index > max) return `index ${index} is out of range: the list at that path has ${parent.length} item${parent.length === 1 ? '' : 's'}`;
    if (op.op === 'add') parent.splice(index, 0, value);
    else if (op.op === 'replace') parent[index] = value;
    else parent.splice(index, 1);
    return undefined;
  }
  const map = parent as Record<string, unknown>;
  if (op.op !== 'add' && !Object.prototype.hasOwnProperty.call(map, last)) return `has no field "${last}" to ${op.op}${keysHint(map)}`;
  if (op.op === 'remove') delete map[last];
  else map[last] = value;
  return undefined;
}

function child(parent: unknown, seg: string): unknown {
  if (Array.isArray(parent)) return /^(0|[1-9][0-9]*)$/.test(seg) ? parent[Number(seg)] : undefined;
  if (parent && typeof parent === 'object' && Object.prototype.hasOwnProperty.call(parent, seg)) return (parent as Record<string, unknown>)[seg];
  return undefined;
}

function keysHint(node: unknown): string {
  if (Array.isArray(node)) return ` (the list has ${node.length} item${node.length === 1 ? '' : 's'})`;
  if (!node || typeof node !== 'object') return '';
  const keys = Object.keys(node);
  return keys.length ? ` (fields there: ${keys.slice(0, 12).join(', ')}${keys.length > 12 ? ', ...' : ''})` : ' (the map there is empty)';
}
