/** Small HTTP helpers shared by the invoice routes: error responses, If-Match, Idempotency-Key header. */
import { Type } from 'typebox';
import type { ExpectedVersions } from '../application/preconditions.ts';

const problem = { $ref: 'Problem#' } as const;

/** Problem responses for the given statuses (every route declares each status it can answer). */
export function problems(...statuses: number[]): Record<number, typeof problem> {
  return Object.fromEntries([401, ...statuses].map((status) => [status, problem]));
}

/** `If-Match` on edits of a draft. */
export const IfMatchHeadersSchema = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'ETag of the version the change is based on' })),
});

/** `Idempotency-Key` on POSTs that create or act. */
export const IdempotencyHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    // The format (8-200 of A-Z a-z 0-9 . _ : -) is checked by platform-http's idempotency preHandler.
    Type.String({
      description:
        'Unique per intended action (8-200 of A-Z a-z 0-9 . _ : -); a retry replays the first response',
    }),
  ),
});

/**
 * The versions an `If-Match` header accepts (`"3"`, `W/"3"`, a list); undefined for none or `*`.
 * Anything unparsable matches no version, so it fails with 412 as RFC 9110 §13.1.1 asks.
 */
export function parseIfMatch(header: string | undefined): ExpectedVersions {
  if (header === undefined || header.trim() === '*') return undefined;
  return header.split(',').map((tag) => {
    const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(tag);
    return match ? Number(match[1]) : -1;
  });
}

/** Security requirement of every authenticated route. */
export const bearer = [{ bearerAuth: [] }];
