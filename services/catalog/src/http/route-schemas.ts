/** Schema pieces every catalog route shares: problem responses, auth, If-Match. */
import type { Problem } from '@invoice/contracts';
import { Type } from '@invoice/platform-http';

/** An error response (RFC 9457), resolved against the server's shared `Problem` schema. */
export const ProblemRef = Type.Unsafe<Problem>({ $ref: 'Problem#' });

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

/** Creates may carry a key so a retry returns the first result instead of creating twice. */
export const IdempotencyHeadersSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      description:
        'Unique per intended create (8-200 of A-Z a-z 0-9 . _ : -); a retry replays the first response',
    }),
  ),
});

/** No content. */
export const NoContentSchema = Type.Null({ description: 'No content' });
