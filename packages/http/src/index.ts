/**
 * The fastify server factory every service uses: TypeBox schemas on every route, problem+json
 * errors mapped in one place, request ids, `/healthz` and `/readyz`, OpenAPI from the route
 * schemas at `/openapi.json`, and JWT verification against the auth service's JWKS.
 */
export { createServer, type ServerOptions, type App, type ReadinessCheck } from './server.ts';
export { toProblem, registerErrorHandling, sendProblem, asAppError } from './errors.ts';
export {
  createJwtVerifier,
  jwtVerifierFromConfig,
  type JwtKeySource,
  type JwtVerifierConfig,
  type AuthContext,
  type JwtVerifier,
  type MembershipVersions,
  type PermissionName,
  requireAuth,
  requirePermission,
  hasPermission,
  getAuth,
} from './auth.ts';
export {
  registerIdempotency,
  type IdempotencyStore,
  type IdempotencyRecord,
  type IdempotencyOptions,
} from './idempotency.ts';
export { Type, type Static } from 'typebox';
export { ProblemRef, IdempotencyHeadersSchema, encodeCursor, decodeCursor, pageOf } from './route-schemas.ts';
export {
  etagFor,
  parseIfMatch,
  ifMatchAllows,
  assertIfMatch,
  IfMatchHeaderSchema,
  type IfMatch,
} from './preconditions.ts';
/**
 * The one shape of a route file: `export function xRoutes(deps): RoutePlugin`, registered by the
 * service's `buildApp` as `await app.register(xRoutes(deps), { prefix: '/v1/x' })`.
 */
export type { FastifyPluginAsyncTypebox as RoutePlugin } from '@fastify/type-provider-typebox';
export { isValidIban, isAcceptableTaxId, CUSTOM_FORMATS } from './formats.ts';
export { completeOpenApi, operationIdFor } from './openapi.ts';
