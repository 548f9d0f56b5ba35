/** Opaque cursors for the email log, which is ordered by id (UUIDv7, so newest first = id desc). */
import { AppError } from '@invoice/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The cursor that continues after the given id. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

/** The id a cursor continues after; a cursor this service did not make is a 400. */
export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!UUID.test(id))
    throw AppError.field('VALIDATION_FAILED', 'querystring:/cursor', 'is not a valid cursor');
  return id;
}
