/** API keys of the caller's organization (admins only). */
import {
  ApiKeyCreatedSchema,
  ApiKeyCreateRequestSchema,
  ApiKeyListSchema,
  IdParamsSchema,
} from '@invoice/contracts';
import {
  getAuth,
  IdempotencyHeadersSchema,
  ProblemRef,
  registerIdempotency,
  requirePermission,
  Type,
  type RoutePlugin,
} from '@invoice/platform-http';
import { createApiKey, listApiKeys, revokeApiKey } from '../application/api-keys.ts';
import type { Deps } from '../deps.ts';
import { currentMember } from './caller.ts';

const tags = ['api-keys'];
const security = [{ bearerAuth: [] }];
const denied = { 401: ProblemRef, 403: ProblemRef };

/** POST/GET /v1/api-keys and DELETE /v1/api-keys/{id}. */
export function apiKeysRoutes(deps: Pick<Deps, 'logger' | 'orm' | 'verifier' | 'idempotency'>): RoutePlugin {
  return async (app) => {
    // The secret is in the stored response of a create; a replay returns it to the same caller only
    // (keys are scoped by organization and user), within the idempotency retention.
    const idempotent = registerIdempotency(app, deps.idempotency);
    const admin = [currentMember(deps), requirePermission('admin')];

    app.post(
      '/',
      {
        preValidation: admin,
        preHandler: idempotent,
        schema: {
          tags,
          summary: 'Create an API key (its secret is in this response only)',
          security,
          headers: IdempotencyHeadersSchema,
          body: ApiKeyCreateRequestSchema,
          response: {
            201: ApiKeyCreatedSchema,
            400: ProblemRef,
            ...denied,
            409: ProblemRef,
            422: ProblemRef,
          },
        },
      },
      async (request, reply) => {
        const caller = getAuth(request);
        const created = await createApiKey(deps, caller.orgId, caller.userId, request.body);
        return reply
          .status(201)
          .header('cache-control', 'no-store')
          .header('location', `/v1/api-keys/${created.id}`)
          .send(created);
      },
    );

    app.get(
      '/',
      {
        preValidation: admin,
        schema: {
          tags,
          summary: 'API keys, newest first (never their secrets)',
          security,
          response: { 200: ApiKeyListSchema, ...denied },
        },
      },
      async (request) => ({ items: await listApiKeys(deps.orm, getAuth(request).orgId) }),
    );

    app.delete(
      '/:id',
      {
        preValidation: admin,
        schema: {
          tags,
          summary: 'Revoke an API key (its tokens stop working at once)',
          security,
          params: IdParamsSchema,
          response: { 204: Type.Null(), 400: ProblemRef, ...denied, 404: ProblemRef },
        },
      },
      async (request, reply) => {
        const caller = getAuth(request);
        await revokeApiKey(deps, caller.orgId, caller.userId, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
