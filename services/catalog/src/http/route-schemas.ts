/**
 * Schema pieces every catalog route shares: auth problems, bearer security, no content. The problem
 * reference and the Idempotency-Key and If-Match headers come from the platform (`ProblemRef`,
 * `IdempotencyHeadersSchema`, `IfMatchHeaderSchema`).
 */
import { ProblemRef, Type } from '@invoice/platform-http';

/** Responses every authenticated route may give. */
export const authProblems = { 400: ProblemRef, 401: ProblemRef, 503: ProblemRef } as const;

/** Every route needs a bearer access token. */
export const bearer = [{ bearerAuth: [] }];

/** No content. */
export const NoContentSchema = Type.Null({ description: 'No content' });
