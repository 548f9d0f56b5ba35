/** `/v1/invoices`: drafts (create, list, read, edit, delete). Thin: parse → use case → shape. */
import {
  CreateInvoiceBodySchema,
  InvoiceListQuerySchema,
  InvoicePageSchema,
  InvoiceParamsSchema,
  InvoiceSchema,
  UpdateInvoiceBodySchema,
} from '@invoice/contracts';
import { getAuth, IdempotencyHeadersSchema, type App } from '@invoice/platform-http';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { Type } from 'typebox';
import { updateDraft } from '../application/draft-update.ts';
import { createDraft, deleteDraft } from '../application/drafts.ts';
import { getInvoice, listPage } from '../application/queries.ts';
import type { ServiceDeps } from '../deps.ts';
import { bearer, IfMatchHeadersSchema, parseIfMatch, problems } from './http-support.ts';
import { etagOf, toInvoice, toInvoiceSummary } from './presenter.ts';

const tags = ['invoices'];

/** Registers the draft routes; `authenticate` verifies the bearer token, `idempotent` honours Idempotency-Key. */
export function registerInvoiceRoutes(
  app: App,
  deps: ServiceDeps,
  authenticate: preHandlerAsyncHookHandler,
  idempotent: preHandlerAsyncHookHandler,
): void {
  app.post(
    '/v1/invoices',
    {
      schema: {
        tags,
        summary: 'Create a draft invoice (totals are computed by the server)',
        security: bearer,
        headers: IdempotencyHeadersSchema,
        body: CreateInvoiceBodySchema,
        response: { 201: InvoiceSchema, ...problems(400, 409, 422, 503) },
      },
      preHandler: [authenticate, idempotent],
    },
    async (request, reply) => {
      const stored = await createDraft(deps, getAuth(request).orgId, request.body);
      return reply
        .code(201)
        .header('etag', etagOf(stored.invoice))
        .header('location', `/v1/invoices/${stored.invoice.id}`)
        .send(toInvoice(stored));
    },
  );

  app.get(
    '/v1/invoices',
    {
      schema: {
        tags,
        summary: 'List invoices, newest first (cursor pagination; filter by status, client, issue dates)',
        security: bearer,
        querystring: InvoiceListQuerySchema,
        response: { 200: InvoicePageSchema, ...problems(400) },
      },
      preHandler: authenticate,
    },
    async (request) => {
      const page = await listPage(deps, getAuth(request).orgId, request.query);
      return { items: page.items.map(toInvoiceSummary), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/invoices/:id',
    {
      schema: {
        tags,
        summary: 'Get an invoice with its lines and totals',
        security: bearer,
        params: InvoiceParamsSchema,
        response: { 200: InvoiceSchema, ...problems(400, 404) },
      },
      preHandler: authenticate,
    },
    async (request, reply) => {
      const stored = await getInvoice(deps, getAuth(request).orgId, request.params.id);
      return reply.header('etag', etagOf(stored.invoice)).send(toInvoice(stored));
    },
  );

  app.patch(
    '/v1/invoices/:id',
    {
      schema: {
        tags,
        summary: 'Edit a draft: replaces the given fields (lines as a whole) and recomputes the totals',
        security: bearer,
        params: InvoiceParamsSchema,
        headers: IfMatchHeadersSchema,
        body: UpdateInvoiceBodySchema,
        response: { 200: InvoiceSchema, ...problems(400, 404, 409, 412, 422, 503) },
      },
      preHandler: authenticate,
    },
    async (request, reply) => {
      const expected = parseIfMatch(request.headers['if-match']);
      const stored = await updateDraft(
        deps,
        getAuth(request).orgId,
        request.params.id,
        request.body,
        expected,
      );
      return reply.header('etag', etagOf(stored.invoice)).send(toInvoice(stored));
    },
  );

  app.delete(
    '/v1/invoices/:id',
    {
      schema: {
        tags,
        summary: 'Delete a draft (issued invoices are never deleted; void them instead)',
        security: bearer,
        params: InvoiceParamsSchema,
        headers: IfMatchHeadersSchema,
        response: { 204: Type.Null({ description: 'Deleted' }), ...problems(400, 404, 409, 412) },
      },
      preHandler: authenticate,
    },
    async (request, reply) => {
      await deleteDraft(
        deps,
        getAuth(request).orgId,
        request.params.id,
        parseIfMatch(request.headers['if-match']),
      );
      return reply.code(204).send(null);
    },
  );
}
