import { AppError } from '@invoice/contracts';
import { decodeCursor, encodeCursor } from '../domain/cursor.ts';

/** One page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Default page size when `limit` is absent. */
export const DEFAULT_LIMIT = 50;

/** The id a page starts after, or undefined for the first page; 400 for a cursor we did not make. */
export function startAfter(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = decodeCursor(cursor);
  if (!id)
    throw AppError.field('VALIDATION_FAILED', 'querystring:/cursor', 'is not a cursor from a previous page');
  return id;
}

/** Cuts `limit + 1` fetched rows into a page; the extra row only proves there is a next page. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
