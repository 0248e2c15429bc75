/**
 * Converts a composed document to plain data with its aliases resolved in constant time each.
 * `yaml`'s own `Alias.resolve` (called by `doc.toJS()` once per alias) scans every anchored node
 * and alias of the document before the alias, so 1000 aliases (the limit) behind a few hundred
 * thousand anchors cost ~10^9 steps. The linear alias pass (aliases.ts) has already found each
 * alias's anchor; this hands that node to `toJS` instead, which then does exactly what it does
 * with its own answer (the anchored node is converted before any alias of it, in document order).
 */
import type { Alias, Document, Node } from 'yaml';

/** The document's value as `doc.toJS({ maxAliasCount: -1 })` gives it, aliases resolved from `targets`. */
export function toPlain(doc: Document, targets: ReadonlyMap<Alias, Node>): unknown {
  for (const [alias, target] of targets) {
    // An own property shadows Alias.prototype.resolve for this node only.
    // Should `toJS` not have met the anchor yet, `yaml`'s own resolver answers (never seen so far).
    const resolve = function (this: Alias, d: Document, ctx?: { anchors?: Map<Node, unknown> }) {
      return ctx?.anchors?.has(target) ? target : Object.getPrototypeOf(this).resolve.call(this, d, ctx);
    };
    Object.defineProperty(alias, 'resolve', { value: resolve, configurable: true, writable: true });
  }
  // aliasProblems bounded the aliases (count, expanded size, depth): no second, costlier count.
  return doc.toJS({ maxAliasCount: -1 });
}
