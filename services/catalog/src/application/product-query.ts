/**
 * The product list's filters and sorts, shared by the list (keyset pages) and the export (a stream
 * over the same rows). Sorting is keyset-based: the cursor carries the sort, the last row's sort
 * value and its id, so a page never repeats or skips rows when others are inserted meanwhile.
 */
import { AppError, type ProductSort } from '@invoice/contracts';
import type { EntityManager } from '@invoice/platform-db';
import type { FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import type { ProductRow } from '../db/product.entity.ts';
import { containsPattern } from '../domain/search.ts';
import { loadTree } from './categories.service.ts';

/** The list filters (query parameters of the list and the export). */
export interface ProductFilter {
  q?: string;
  categoryId?: string;
  descendants?: boolean;
  status?: 'active' | 'archived' | 'all';
  sort?: string;
}

type SortColumn = 'id' | 'name' | 'createdAt' | 'unitPrice';

/** What keyset paging reads of a row. */
interface KeysetRow {
  id: string;
  createdAt: Date;
}

/** Column and direction of a sort. */
export function sortOf(sort: string | undefined): { column: SortColumn; desc: boolean } {
  const value = (sort ?? 'id') as ProductSort;
  const desc = value.startsWith('-');
  return { column: (desc ? value.slice(1) : value) as SortColumn, desc };
}

/**
 * The WHERE of live products of the organization matching the filter. A `categoryId` that is not a
 * live category of the organization is 404 naming `querystring:/categoryId`.
 */
export async function productWhere(
  em: EntityManager,
  orgId: string,
  filter: ProductFilter,
): Promise<FilterQuery<ProductRow>> {
  const and: FilterQuery<ProductRow>[] = [{ orgId, deletedAt: null }];
  const status = filter.status ?? 'active';
  if (status === 'active') and.push({ archivedAt: null });
  if (status === 'archived') and.push({ archivedAt: { $ne: null } });
  if (filter.q) {
    const pattern = containsPattern(filter.q);
    and.push({ $or: [{ name: { $ilike: pattern } }, { sku: { $ilike: pattern } }] });
  }
  if (filter.categoryId) {
    const tree = await loadTree(em, orgId);
    if (!tree.get(filter.categoryId)) {
      throw new AppError('NOT_FOUND', {
        detail: 'The category does not exist',
        errors: [{ field: 'querystring:/categoryId', message: 'is not a category of this organization' }],
      });
    }
    const ids =
      filter.descendants === false ? [filter.categoryId] : tree.subtree(filter.categoryId).map((c) => c.id);
    and.push({ categoryId: { $in: ids } });
  }
  return { $and: and };
}

/** ORDER BY of a sort: the column, then id in the same direction. */
export function productOrder<Row = ProductRow>(sort: string | undefined): QueryOrderMap<Row> {
  const { column, desc } = sortOf(sort);
  const direction = desc ? 'desc' : 'asc';
  return (
    column === 'id' ? { id: direction } : { [column]: direction, id: direction }
  ) as QueryOrderMap<ProductRow>;
}

interface CursorState {
  s: string;
  v?: string;
  id: string;
}

/** The cursor continuing after `row` under `sort`. */
export function encodeProductCursor(row: KeysetRow, sort: string | undefined): string {
  const { column } = sortOf(sort);
  const value =
    column === 'createdAt'
      ? row.createdAt.toISOString()
      : column === 'id'
        ? undefined
        : String((row as unknown as Record<string, unknown>)[column]);
  const state: CursorState = { s: sort ?? 'id', id: row.id, ...(value === undefined ? {} : { v: value }) };
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

/** The WHERE that continues after a cursor; 400 naming `querystring:/cursor` for a foreign or other-sort cursor. */
export function afterCursor<Row = ProductRow>(cursor: string, sort: string | undefined): FilterQuery<Row> {
  const refuse = () =>
    AppError.field(
      'VALIDATION_FAILED',
      'querystring:/cursor',
      'is not a cursor this list returned for this sort',
    );
  let state: CursorState;
  try {
    state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorState;
  } catch {
    throw refuse();
  }
  if (!state || typeof state.id !== 'string' || state.s !== (sort ?? 'id')) throw refuse();
  if (!/^[0-9a-f-]{36}$/i.test(state.id)) throw refuse();
  const { column, desc } = sortOf(sort);
  const op = desc ? '$lt' : '$gt';
  if (column === 'id') return { id: { [op]: state.id } } as FilterQuery<Row>;
  if (typeof state.v !== 'string') throw refuse();
  const value = column === 'createdAt' ? new Date(state.v) : state.v;
  if (value instanceof Date && Number.isNaN(value.getTime())) throw refuse();
  return {
    $or: [{ [column]: { [op]: value } }, { [column]: value, id: { [op]: state.id } }],
  } as FilterQuery<Row>;
}
