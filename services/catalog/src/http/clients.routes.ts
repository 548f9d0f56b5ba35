/**
 * `/v1/clients`: list, create (Idempotency-Key), get (ETag), change and soft delete (both honour
 * If-Match and answer the new ETag). Any member may write clients (no write guard, no 403).
 */
import {
  CatalogIdParamsSchema,
  ClientCreateSchema,
  ClientListQuerySchema,
  ClientPageSchema,
  ClientPatchSchema,
  ClientSchema,
} from '@invoice/contracts';
import type { MikroORM } from '@invoice/platform-db';
import {
  etagFor,
  getAuth,
  IdempotencyHeadersSchema,
  IfMatchHeaderSchema,
  parseIfMatch,
  ProblemRef,
  requireAuth,
  type JwtVerifier,
  type RoutePlugin,
} from '@invoice/platform-http';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { toClient } from '../application/client.mapper.ts';
import {
  createClient,
  deleteClient,
  getClient,
  listClients,
  updateClient,
} from '../application/clients.service.ts';
import { authProblems, bearer, NoContentSchema } from './route-schemas.ts';

/** What the client routes need. */
export interface ClientRoutesDeps {
  orm: MikroORM;
  verifier: JwtVerifier;
  /** Idempotency-Key handling for the create route (from registerIdempotency). */
  idempotent: preHandlerAsyncHookHandler;
}

const tags = ['clients'];

/** The client routes (mount with prefix `/v1/clients`). */
export function clientsRoutes(deps: ClientRoutesDeps): RoutePlugin {
  const { orm } = deps;
  return async (app) => {
    app.addHook('onRequest', requireAuth(deps.verifier));

    app.get(
      '/',
      {
        schema: {
          tags,
          summary: 'List clients',
          description: 'Live clients in creation order, a page at a time; `q` matches part of the name.',
          security: bearer,
          querystring: ClientListQuerySchema,
          response: { 200: ClientPageSchema, ...authProblems },
        },
      },
      async (request) => {
        const page = await listClients(orm, getAuth(request).orgId, request.query);
        return { items: page.items.map(toClient), nextCursor: page.nextCursor };
      },
    );

    app.post(
      '/',
      {
        preHandler: deps.idempotent,
        schema: {
          tags,
          summary: 'Create a client',
          security: bearer,
          headers: IdempotencyHeadersSchema,
          body: ClientCreateSchema,
          // 409: the same Idempotency-Key is still in flight; 422: it was used with another body.
          response: { 201: ClientSchema, ...authProblems, 409: ProblemRef, 422: ProblemRef },
        },
      },
      async (request, reply) => {
        const row = await createClient(orm, getAuth(request).orgId, request.body);
        request.log.debug({ clientId: row.id, version: row.version }, 'client created');
        return reply
          .status(201)
          .header('location', `/v1/clients/${row.id}`)
          .header('etag', etagFor(row.version))
          .send(toClient(row));
      },
    );

    app.get(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Get a client',
          security: bearer,
          params: CatalogIdParamsSchema,
          response: { 200: ClientSchema, ...authProblems, 404: ProblemRef },
        },
      },
      async (request, reply) => {
        const row = await getClient(orm, getAuth(request).orgId, request.params.id);
        return reply.header('etag', etagFor(row.version)).send(toClient(row));
      },
    );

    app.patch(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Change a client',
          description: 'Send only the fields to change; `null` clears an optional field. Honours `If-Match`.',
          security: bearer,
          params: CatalogIdParamsSchema,
          headers: IfMatchHeaderSchema,
          body: ClientPatchSchema,
          response: { 200: ClientSchema, ...authProblems, 404: ProblemRef, 412: ProblemRef },
        },
      },
      async (request, reply) => {
        const ifMatch = parseIfMatch(request.headers['if-match']);
        const row = await updateClient(orm, getAuth(request).orgId, request.params.id, request.body, ifMatch);
        request.log.debug({ clientId: row.id, version: row.version }, 'client updated');
        return reply.header('etag', etagFor(row.version)).send(toClient(row));
      },
    );

    app.delete(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Delete a client',
          description: 'Soft delete: the client leaves lists and lookups; issued invoices keep their copy.',
          security: bearer,
          params: CatalogIdParamsSchema,
          headers: IfMatchHeaderSchema,
          response: { 204: NoContentSchema, ...authProblems, 404: ProblemRef, 412: ProblemRef },
        },
      },
      async (request, reply) => {
        const ifMatch = parseIfMatch(request.headers['if-match']);
        const row = await deleteClient(orm, getAuth(request).orgId, request.params.id, ifMatch);
        request.log.debug({ clientId: row.id, version: row.version }, 'client deleted');
        return reply.status(204).send(null);
      },
    );
  };
}
