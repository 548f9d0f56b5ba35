/** `/v1/quotes/{id}/send`, `/accept`, `/decline` and `/convert`: the quote lifecycle. */
import {
  DeclineQuoteBodySchema,
  InvoiceSchema,
  QuoteParamsSchema,
  QuoteSchema,
  SendInvoiceBodySchema,
  SendInvoiceResponseSchema,
} from '@invoice/contracts';
import { etagFor, getAuth, IdempotencyHeadersSchema, type RoutePlugin } from '@invoice/platform-http';
import { toInvoice } from '../application/invoice-view.ts';
import { convertQuote } from '../application/quote-convert.ts';
import { acceptQuote, declineQuote } from '../application/quote-decisions.ts';
import { sendQuote } from '../application/quote-send.ts';
import { toQuote } from '../application/quote-view.ts';
import { bearer, preHandlers, problems, type InvoiceRoutesDeps } from './http-support.ts';

const tags = ['quotes'];

/** Send, accept, decline and convert, each honouring Idempotency-Key (mount with prefix `/v1/quotes`). */
export function quoteActionsRoutes(deps: InvoiceRoutesDeps): RoutePlugin {
  return async (app) => {
    const { authenticate, idempotent } = preHandlers(app, deps);
    // No body means the defaults (the client's address, no reason): validate it as `{}`.
    const emptyBody = async (request: { body: unknown }) => {
      request.body ??= {};
    };

    app.post(
      '/:id/send',
      {
        schema: {
          tags,
          summary:
            'Email the quote PDF (to the client by default); the first send numbers it and freezes its parties and totals',
          security: bearer,
          params: QuoteParamsSchema,
          headers: IdempotencyHeadersSchema,
          body: SendInvoiceBodySchema,
          response: { 202: SendInvoiceResponseSchema, ...problems(400, 404, 409, 412, 422, 503) },
        },
        preValidation: emptyBody,
        onRequest: authenticate,
        preHandler: idempotent,
      },
      async (request, reply) => {
        const { orgId } = getAuth(request);
        const { requestId } = await sendQuote(deps, orgId, request.params.id, request.body);
        return reply.code(202).send({ requestId, status: 'queued' as const });
      },
    );

    app.post(
      '/:id/accept',
      {
        schema: {
          tags,
          summary: 'Record that the client accepted a sent, still valid quote (who and when are kept)',
          security: bearer,
          params: QuoteParamsSchema,
          headers: IdempotencyHeadersSchema,
          response: { 200: QuoteSchema, ...problems(400, 404, 409) },
        },
        onRequest: authenticate,
        preHandler: idempotent,
      },
      async (request, reply) => {
        const { orgId, userId } = getAuth(request);
        const quote = await acceptQuote(deps, orgId, request.params.id, userId);
        return reply.header('etag', etagFor(quote.version)).send(toQuote(quote));
      },
    );

    app.post(
      '/:id/decline',
      {
        schema: {
          tags,
          summary: 'Record that the client declined a sent, still valid quote (who, when and why are kept)',
          security: bearer,
          params: QuoteParamsSchema,
          headers: IdempotencyHeadersSchema,
          body: DeclineQuoteBodySchema,
          response: { 200: QuoteSchema, ...problems(400, 404, 409) },
        },
        preValidation: emptyBody,
        onRequest: authenticate,
        preHandler: idempotent,
      },
      async (request, reply) => {
        const { orgId, userId } = getAuth(request);
        const quote = await declineQuote(deps, orgId, request.params.id, userId, request.body);
        return reply.header('etag', etagFor(quote.version)).send(toQuote(quote));
      },
    );

    app.post(
      '/:id/convert',
      {
        schema: {
          tags,
          summary: 'Convert an accepted quote into a draft invoice (once; the invoice names the quote)',
          security: bearer,
          params: QuoteParamsSchema,
          headers: IdempotencyHeadersSchema,
          response: { 201: InvoiceSchema, ...problems(400, 404, 409, 422) },
        },
        onRequest: authenticate,
        preHandler: idempotent,
      },
      async (request, reply) => {
        const { orgId, userId } = getAuth(request);
        const { invoice } = await convertQuote(deps, orgId, request.params.id, userId);
        return reply
          .code(201)
          .header('etag', etagFor(invoice.invoice.version))
          .header('location', `/v1/invoices/${invoice.invoice.id}`)
          .send(toInvoice(invoice));
      },
    );
  };
}
