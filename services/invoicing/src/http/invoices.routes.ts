/** `/v1/invoices`: drafts (create, list, read, edit, delete). Thin: parse → use case → shape. */
import {
  CreateInvoiceBodySchema,
  InvoiceListQuerySchema,
  InvoicePageSchema,
  InvoiceParamsSchema,
  InvoiceSchema,
  UpdateInvoiceBodySchema,
} from '@invoice/contracts';
import {
  etagFor,
  getAuth,
  IdempotencyHeadersSchema,
  IfMatchHeaderSchema,
  parseIfMatch,
  type RoutePlugin,
} from '@invoice/platform-http';
import { Type } from 'typebox';
import { updateDraft } from '../application/draft-update.ts';
import { createDraft, deleteDraft } from '../application/drafts.ts';
import { toInvoice, toInvoiceSummary } from '../application/invoice-view.ts';
import { getInvoice, listPage } from '../application/queries.ts';
import { creatorFilter } from './creator-scope.ts';
import { bearer, preHandlers, problems, type InvoiceRoutesDeps } from './http-support.ts';

const tags = ['invoices'];

/** The draft routes (mount with prefix `/v1/invoices`). */
export function invoicesRoutes(deps: InvoiceRoutesDeps): RoutePlugin {
  return async (app) => {
    const { authenticate, idempotent } = preHandlers(app, deps);

    app.post(
      '/',
      {
        schema: {
          tags,
          summary: 'Create a draft invoice (totals are computed by the server)',
          security: bearer,
          headers: IdempotencyHeadersSchema,
          body: CreateInvoiceBodySchema,
          response: { 201: InvoiceSchema, ...problems(400, 409, 422, 503) },
        },
        onRequest: authenticate,
        preHandler: idempotent,
      },
      async (request, reply) => {
        const caller = getAuth(request);
        const stored = await createDraft(deps, caller.orgId, request.body, caller.userId);
        return reply
          .code(201)
          .header('etag', etagFor(stored.invoice.version))
          .header('location', `/v1/invoices/${stored.invoice.id}`)
          .send(toInvoice(stored));
      },
    );

    app.get(
      '/',
      {
        schema: {
          tags,
          summary: 'List invoices, newest first (cursor pagination; filter by status, client, issue dates)',
          security: bearer,
          querystring: InvoiceListQuerySchema,
          response: { 200: InvoicePageSchema, ...problems(400) },
        },
        onRequest: authenticate,
      },
      async (request) => {
        const caller = getAuth(request);
        const page = await listPage(deps, caller.orgId, request.query, creatorFilter(caller));
        return { items: page.items.map(toInvoiceSummary), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Get an invoice with its lines and totals',
          security: bearer,
          params: InvoiceParamsSchema,
          response: { 200: InvoiceSchema, ...problems(400, 404) },
        },
        onRequest: authenticate,
      },
      async (request, reply) => {
        const stored = await getInvoice(deps, getAuth(request).orgId, request.params.id);
        return reply.header('etag', etagFor(stored.invoice.version)).send(toInvoice(stored));
      },
    );

    app.patch(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Edit a draft: replaces the given fields (lines as a whole) and recomputes the totals',
          security: bearer,
          params: InvoiceParamsSchema,
          headers: IfMatchHeaderSchema,
          body: UpdateInvoiceBodySchema,
          response: { 200: InvoiceSchema, ...problems(400, 404, 409, 412, 422, 503) },
        },
        onRequest: authenticate,
      },
      async (request, reply) => {
        const ifMatch = parseIfMatch(request.headers['if-match']);
        const { orgId } = getAuth(request);
        const stored = await updateDraft(deps, orgId, request.params.id, request.body, ifMatch);
        return reply.header('etag', etagFor(stored.invoice.version)).send(toInvoice(stored));
      },
    );

    app.delete(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Delete a draft (issued invoices are never deleted; void them instead)',
          security: bearer,
          params: InvoiceParamsSchema,
          headers: IfMatchHeaderSchema,
          response: { 204: Type.Null({ description: 'Deleted' }), ...problems(400, 404, 409, 412) },
        },
        onRequest: authenticate,
      },
      async (request, reply) => {
        const ifMatch = parseIfMatch(request.headers['if-match']);
        await deleteDraft(deps, getAuth(request).orgId, request.params.id, ifMatch);
        return reply.code(204).send(null);
      },
    );
  };
}
