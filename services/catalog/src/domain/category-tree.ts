/**
 * An organization's live categories in memory, to answer tree questions (ancestors, descendants,
 * inherited definitions, would a move create a cycle) without one query per level.
 */
import type { AttributeDefinition } from '@invoice/contracts';

/** What the tree needs of a category. */
export interface TreeCategory {
  id: string;
  parentId?: string | null;
  name: string;
  position: number;
  attributes: AttributeDefinition[];
}

/** The categories of one organization as a tree. */
export class CategoryTree<C extends TreeCategory> {
  private readonly byId = new Map<string, C>();
  private readonly childrenOf = new Map<string | null, C[]>();

  constructor(categories: Iterable<C>) {
    for (const category of categories) this.byId.set(category.id, category);
    this.reindex();
  }

  /** Rebuilds the parent index after a category's `parentId` changed in place. */
  reindex(): void {
    this.childrenOf.clear();
    for (const category of this.byId.values()) {
      const parent = category.parentId ?? null;
      const siblings = this.childrenOf.get(parent) ?? [];
      siblings.push(category);
      this.childrenOf.set(parent, siblings);
    }
    for (const siblings of this.childrenOf.values()) {
      siblings.sort((a, b) => a.position - b.position || a.name.localeCompare(b.name) || cmp(a.id, b.id));
    }
  }

  get(id: string): C | undefined {
    return this.byId.get(id);
  }

  add(category: C): void {
    this.byId.set(category.id, category);
    this.reindex();
  }

  remove(id: string): void {
    this.byId.delete(id);
    this.reindex();
  }

  /** Direct children in display order (position, then name). */
  children(id: string | null): C[] {
    return this.childrenOf.get(id) ?? [];
  }

  /** The ancestors of a category, root first (not the category itself). */
  ancestors(id: string): C[] {
    const chain: C[] = [];
    const seen = new Set<string>([id]);
    let parentId = this.byId.get(id)?.parentId ?? null;
    while (parentId && !seen.has(parentId)) {
      const parent = this.byId.get(parentId);
      if (!parent) break;
      chain.unshift(parent);
      seen.add(parentId);
      parentId = parent.parentId ?? null;
    }
    return chain;
  }

  /** The category and every category below it, parents before children. */
  subtree(id: string): C[] {
    const root = this.byId.get(id);
    if (!root) return [];
    const out: C[] = [root];
    for (let i = 0; i < out.length; i += 1) out.push(...this.children(out[i]!.id));
    return out;
  }

  /** True when `candidate` is `id` or lies below it (moving `id` under it would make a cycle). */
  isSelfOrDescendant(id: string, candidate: string): boolean {
    return candidate === id || this.ancestors(candidate).some((ancestor) => ancestor.id === id);
  }

  /** The definitions inherited from ancestors, root first. */
  inherited(id: string): AttributeDefinition[] {
    return this.ancestors(id).flatMap((ancestor) => ancestor.attributes);
  }

  /** Every definition that applies to products of the category: inherited ones, then its own. */
  effective(id: string): AttributeDefinition[] {
    return [...this.inherited(id), ...(this.byId.get(id)?.attributes ?? [])];
  }

  /** Every category, parents before children, siblings in display order. */
  flat(): C[] {
    const out: C[] = [...this.children(null)];
    for (let i = 0; i < out.length; i += 1) out.push(...this.children(out[i]!.id));
    return out;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
