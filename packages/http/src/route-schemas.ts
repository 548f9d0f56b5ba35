/**
 * Schema pieces every service's routes share: the problem+json reference for error responses, the
 * Idempotency-Key header, and opaque id cursors for `?limit=&cursor=` pagination.
 */
import { AppError, type Problem } from '@invoice/contracts';
import { Type } from 'typebox';
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency.ts';

/** Use for every error status of a route: `response: { 404: ProblemRef }` (registered by createServer). */
export const ProblemRef = Type.Unsafe<Problem>({ $ref: 'Problem#' });

/** Headers of a POST that creates or acts: an optional Idempotency-Key. */
export const IdempotencyHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      pattern: IDEMPOTENCY_KEY_PATTERN.source,
      description:
        'Unique per intended action (8-200 of A-Z a-z 0-9 . _ : -); a retry replays the first success',
    }),
  ),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The cursor that continues after `lastId`. Lists are ordered by id (UUIDv7), so a page starts
 * after the last id of the previous one and concurrent inserts never repeat or skip an item.
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(`id:${lastId}`, 'utf8').toString('base64url');
}

/** The id a cursor continues after; a cursor this API did not return is a 400 naming the query field. */
export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith('id:') ? text.slice(3) : '';
  if (!UUID.test(id)) {
    const message = 'is not a cursor this API returned';
    throw new AppError('VALIDATION_FAILED', {
      detail: `The query string is not valid: /cursor ${message}`,
      errors: [{ field: '/cursor', in: 'query', message, code: 'VALIDATION_FAILED' }],
    });
  }
  return id;
}

/**
 * Cuts a page out of rows fetched with `limit + 1` (the extra row only says that more exist) and
 * returns it with the cursor of the next page, or null on the last one.
 */
export function pageOf<T extends { id: string }>(
  rows: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
