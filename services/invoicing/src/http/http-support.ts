/** What the invoice route files share: their dependencies, authentication and idempotency, error responses. */
import {
  ProblemRef,
  registerIdempotency,
  requireAuth,
  type App,
  type IdempotencyStore,
  type JwtVerifier,
} from '@invoice/platform-http';
import type { preHandlerAsyncHookHandler } from 'fastify';
import type { UseCaseDeps } from '../deps.ts';

/** What the invoice routes need: the use cases' dependencies, the token verifier and the idempotency store. */
export interface InvoiceRoutesDeps extends UseCaseDeps {
  verifier: JwtVerifier;
  idempotency: IdempotencyStore;
}

/**
 * The hooks of a route file, set up inside its plugin: `authenticate` verifies the bearer token, as
 * the route's `onRequest` hook (before the body is even read, so an unauthenticated or refused caller
 * learns nothing from validation); `idempotent` honours Idempotency-Key on the POSTs that create or act.
 */
export function preHandlers(
  app: App,
  deps: InvoiceRoutesDeps,
): { authenticate: preHandlerAsyncHookHandler; idempotent: preHandlerAsyncHookHandler } {
  return {
    authenticate: requireAuth(deps.verifier) as preHandlerAsyncHookHandler,
    idempotent: registerIdempotency(app, deps.idempotency) as preHandlerAsyncHookHandler,
  };
}

/** Problem responses for the given statuses (every route declares each status it can answer). */
export function problems(...statuses: number[]): Record<number, typeof ProblemRef> {
  return Object.fromEntries([401, ...statuses].map((status) => [status, ProblemRef]));
}

/** Security requirement of every authenticated route. */
export const bearer = [{ bearerAuth: [] }];
