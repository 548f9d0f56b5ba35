/**
 * Opaque page cursors. Lists are ordered by id (UUIDv7, so creation order); the cursor carries the
 * last id of a page and the next page starts after it, so concurrent inserts never repeat or skip
 * an item that existed when the first page was read.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The cursor that continues after `lastId`. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(`id:${lastId}`, 'utf8').toString('base64url');
}

/** The id a cursor continues after, or undefined when the cursor was not made by {@link encodeCursor}. */
export function decodeCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('id:')) return undefined;
  const id = text.slice(3);
  return UUID.test(id) ? id : undefined;
}
