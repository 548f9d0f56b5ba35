/** `/v1/clients`: thin handlers over the client use cases. Any member may write (see domain/permissions). */
import {
  CatalogIdParamsSchema,
  ClientCreateSchema,
  ClientListQuerySchema,
  ClientPageSchema,
  ClientPatchSchema,
  ClientSchema,
  AppError,
} from '@invoice/contracts';
import { getAuth, requireAuth, type App, type JwtVerifier } from '@invoice/platform-http';
import type { MikroORM } from '@invoice/platform-db';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import {
  createClient,
  deleteClient,
  getClient,
  listClients,
  updateClient,
} from '../application/clients.service.ts';
import { toClient } from '../application/client.mapper.ts';
import type { ClientRow } from '../db/client.entity.ts';
import { etagFor } from '../domain/concurrency.ts';
import { canManageClients } from '../domain/permissions.ts';
import {
  authProblems,
  bearer,
  IdempotencyHeadersSchema,
  IfMatchHeadersSchema,
  NoContentSchema,
  ProblemRef,
} from './route-schemas.ts';

/** What the client routes need. */
export interface ClientRoutesDeps {
  orm: MikroORM;
  verifyToken: JwtVerifier;
  /** Idempotency-Key handling for the create route (from registerIdempotency). */
  idempotent: preHandlerAsyncHookHandler;
}

const tags = ['clients'];

/** Registers the client routes (mount with prefix `/v1/clients`). */
export function clientsRoutes(deps: ClientRoutesDeps) {
  const { orm } = deps;
  return async (app: App): Promise<void> => {
    app.addHook('onRequest', requireAuth(deps.verifyToken));

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
        preValidation: writerOnly,
        preHandler: deps.idempotent,
        schema: {
          tags,
          summary: 'Create a client',
          security: bearer,
          headers: IdempotencyHeadersSchema,
          body: ClientCreateSchema,
          // 409: the same Idempotency-Key is still in flight; 422: it was used with another body.
          response: { 201: ClientSchema, ...authProblems, 403: ProblemRef, 409: ProblemRef, 422: ProblemRef },
        },
      },
      async (request, reply) => {
        const auth = getAuth(request);
        const row = await createClient(orm, auth.orgId, request.body);
        request.log.info({ clientId: row.id, version: row.version }, 'client created');
        reply.header('location', `/v1/clients/${row.id}`);
        return withEtag(reply.status(201), row);
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
      async (request, reply) =>
        withEtag(reply, await getClient(orm, getAuth(request).orgId, request.params.id)),
    );

    app.patch(
      '/:id',
      {
        preValidation: writerOnly,
        schema: {
          tags,
          summary: 'Change a client',
          description: 'Send only the fields to change; `null` clears an optional field. Honours `If-Match`.',
          security: bearer,
          params: CatalogIdParamsSchema,
          headers: IfMatchHeadersSchema,
          body: ClientPatchSchema,
          response: { 200: ClientSchema, ...authProblems, 403: ProblemRef, 404: ProblemRef, 412: ProblemRef },
        },
      },
      async (request, reply) => {
        const auth = getAuth(request);
        const ifMatch = request.headers['if-match'];
        const row = await updateClient(orm, auth.orgId, request.params.id, request.body, ifMatch);
        request.log.info({ clientId: row.id, version: row.version }, 'client updated');
        return withEtag(reply, row);
      },
    );

    app.delete(
      '/:id',
      {
        preValidation: writerOnly,
        schema: {
          tags,
          summary: 'Delete a client',
          description: 'Soft delete: the client leaves lists and lookups; issued invoices keep their copy.',
          security: bearer,
          params: CatalogIdParamsSchema,
          headers: IfMatchHeadersSchema,
          response: {
            204: NoContentSchema,
            ...authProblems,
            403: ProblemRef,
            404: ProblemRef,
            412: ProblemRef,
          },
        },
      },
      async (request, reply) => {
        const auth = getAuth(request);
        await deleteClient(orm, auth.orgId, request.params.id, request.headers['if-match']);
        request.log.info({ clientId: request.params.id }, 'client deleted');
        return reply.status(204).send(null);
      },
    );
  };
}

/** Runs before body validation, so a caller without the permission learns nothing about the body. */
async function writerOnly(request: FastifyRequest): Promise<void> {
  if (!canManageClients(getAuth(request))) throw new AppError('FORBIDDEN');
}

function withEtag(reply: FastifyReply, row: ClientRow) {
  reply.header('etag', etagFor(row.version));
  return toClient(row);
}
