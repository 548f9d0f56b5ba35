/** `/v1/quotes`: draft quotes (create, list, read, edit, delete). Thin: parse → use case → shape. */
import {
  CreateQuoteBodySchema,
  QuoteListQuerySchema,
  QuotePageSchema,
  QuoteParamsSchema,
  QuoteSchema,
  UpdateQuoteBodySchema,
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
import { toQuote, toQuoteSummary } from '../application/quote-view.ts';
import {
  createQuote,
  deleteQuote,
  getQuote,
  listQuotePage,
  updateQuoteDraft,
} from '../application/quotes.ts';
import { creatorFilter } from './creator-scope.ts';
import { bearer, preHandlers, problems, type InvoiceRoutesDeps } from './http-support.ts';

const tags = ['quotes'];

/** The quote draft routes (mount with prefix `/v1/quotes`). */
export function quotesRoutes(deps: InvoiceRoutesDeps): RoutePlugin {
  return async (app) => {
    const { authenticate, idempotent } = preHandlers(app, deps);

    app.post(
      '/',
      {
        schema: {
          tags,
          summary: 'Create a draft quote (same lines and totals as an invoice, with a validity date)',
          security: bearer,
          headers: IdempotencyHeadersSchema,
          body: CreateQuoteBodySchema,
          response: { 201: QuoteSchema, ...problems(400, 409, 422, 503) },
        },
        onRequest: authenticate,
        preHandler: idempotent,
      },
      async (request, reply) => {
        const caller = getAuth(request);
        const quote = await createQuote(deps, caller.orgId, request.body, caller.userId);
        return reply
          .code(201)
          .header('etag', etagFor(quote.version))
          .header('location', `/v1/quotes/${quote.id}`)
          .send(toQuote(quote));
      },
    );

    app.get(
      '/',
      {
        schema: {
          tags,
          summary: 'List quotes, newest first (cursor pagination; filter by status, client, quote dates)',
          security: bearer,
          querystring: QuoteListQuerySchema,
          response: { 200: QuotePageSchema, ...problems(400) },
        },
        onRequest: authenticate,
      },
      async (request) => {
        const caller = getAuth(request);
        const page = await listQuotePage(deps, caller.orgId, request.query, creatorFilter(caller));
        return { items: page.items.map(toQuoteSummary), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Get a quote with its lines, totals and decision',
          security: bearer,
          params: QuoteParamsSchema,
          response: { 200: QuoteSchema, ...problems(400, 404) },
        },
        onRequest: authenticate,
      },
      async (request, reply) => {
        const quote = await getQuote(deps, getAuth(request).orgId, request.params.id);
        return reply.header('etag', etagFor(quote.version)).send(toQuote(quote));
      },
    );

    app.patch(
      '/:id',
      {
        schema: {
          tags,
          summary:
            'Edit a draft quote: replaces the given fields (lines as a whole) and recomputes the totals',
          security: bearer,
          params: QuoteParamsSchema,
          headers: IfMatchHeaderSchema,
          body: UpdateQuoteBodySchema,
          response: { 200: QuoteSchema, ...problems(400, 404, 409, 412, 422, 503) },
        },
        onRequest: authenticate,
      },
      async (request, reply) => {
        const ifMatch = parseIfMatch(request.headers['if-match']);
        const { orgId } = getAuth(request);
        const quote = await updateQuoteDraft(deps, orgId, request.params.id, request.body, ifMatch);
        return reply.header('etag', etagFor(quote.version)).send(toQuote(quote));
      },
    );

    app.delete(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Delete a draft quote (a sent quote is declined or expires instead)',
          security: bearer,
          params: QuoteParamsSchema,
          headers: IfMatchHeaderSchema,
          response: { 204: Type.Null({ description: 'Deleted' }), ...problems(400, 404, 409, 412) },
        },
        onRequest: authenticate,
      },
      async (request, reply) => {
        const ifMatch = parseIfMatch(request.headers['if-match']);
        await deleteQuote(deps, getAuth(request).orgId, request.params.id, ifMatch);
        return reply.code(204).send(null);
      },
    );
  };
}
