/**
 * Schema pieces every catalog route shares: auth problems, bearer security, If-Match. The problem
 * reference and the Idempotency-Key header come from the platform (`ProblemRef`, `IdempotencyHeadersSchema`).
 */
import { ProblemRef, Type } from '@invoice/platform-http';

/** Responses every authenticated route may give. */
export const authProblems = { 400: ProblemRef, 401: ProblemRef, 503: ProblemRef } as const;

/** Every route needs a bearer access token. */
export const bearer = [{ bearerAuth: [] }];

/** Writes may name the version they change (optimistic concurrency). */
export const IfMatchHeadersSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({ description: 'The ETag of the version being changed; 412 when it is no longer current' }),
  ),
});

/** No content. */
export const NoContentSchema = Type.Null({ description: 'No content' });
