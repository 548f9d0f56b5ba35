/**
 * `/v1/clients`: list, create (Idempotency-Key), get (ETag), change and soft delete (both honour
 * If-Match and answer the new ETag). Any member may write clients (no write guard, no 403).
 */
import {
  CatalogIdParamsSchema,
  ClientExportQuerySchema,
  ExportFileSchema,
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
import { CONTENT_TYPES } from '../application/export.ts';
import { exportClients } from '../application/exports.service.ts';
import { toClient } from '../application/client.mapper.ts';
import {
  createClient,
  deleteClient,
  getClient,
  listClients,
  setClientArchived,
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
          description:
            'Live clients a page at a time. `q` matches the start of the name, the email or the tax id ' +
            '(case-insensitive); `status` chooses active (default), archived or all; `sort` orders by id ' +
            '(creation order, default), name or createdAt (`-` for descending).',
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

    for (const action of ['archive', 'unarchive'] as const) {
      app.post(
        `/:id/${action}`,
        {
          preHandler: deps.idempotent,
          schema: {
            tags,
            summary: action === 'archive' ? 'Archive a client' : 'Unarchive a client',
            description:
              action === 'archive'
                ? 'The client leaves the default list and export and is announced as archived: existing ' +
                  'invoices keep referring to it, new invoices should not. Use this instead of DELETE for a ' +
                  'client that invoices refer to. Archiving an archived client changes nothing.'
                : 'The client returns to the default list.',
            security: bearer,
            params: CatalogIdParamsSchema,
            headers: IdempotencyHeadersSchema,
            response: {
              200: ClientSchema,
              ...authProblems,
              404: ProblemRef,
              409: ProblemRef,
              422: ProblemRef,
            },
          },
        },
        async (request, reply) => {
          const row = await setClientArchived(
            orm,
            getAuth(request).orgId,
            request.params.id,
            action === 'archive',
          );
          return reply.header('etag', etagFor(row.version)).send(toClient(row));
        },
      );
    }

    app.get(
      '/export',
      {
        schema: {
          tags,
          summary: 'Export clients',
          description:
            'The clients the list would show (same filters and sort, every page), streamed as CSV ' +
            '(RFC 4180, CRLF, UTF-8 with BOM; `separator=semicolon` for `;`) or XLSX (`format=xlsx`).',
          security: bearer,
          querystring: ClientExportQuerySchema,
          produces: [CONTENT_TYPES.csv, CONTENT_TYPES.xlsx],
          response: { 200: ExportFileSchema, ...authProblems },
        },
      },
      async (request, reply) => {
        const { format = 'csv', separator = 'comma', ...filter } = request.query;
        const stream = await exportClients(orm, getAuth(request).orgId, filter, {
          format,
          separator: separator === 'semicolon' ? ';' : ',',
        });
        const stamp = new Date().toISOString().slice(0, 10);
        return reply
          .header('content-type', CONTENT_TYPES[format])
          .header('content-disposition', `attachment; filename="clients-${stamp}.${format}"`)
          .send(stream);
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
