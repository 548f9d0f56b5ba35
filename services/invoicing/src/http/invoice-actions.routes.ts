/** `/v1/invoices/{id}/issue`, `/send` and `/void`: the actions on an invoice. */
import {
  InvoiceParamsSchema,
  InvoiceSchema,
  SendInvoiceBodySchema,
  SendInvoiceResponseSchema,
  VoidInvoiceBodySchema,
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
import { toInvoice } from '../application/invoice-view.ts';
import { issueInvoice } from '../application/issue.ts';
import { sendInvoice } from '../application/send.ts';
import { voidIssuedInvoice } from '../application/void.ts';
import { bearer, preHandlers, problems, type InvoiceRoutesDeps } from './http-support.ts';

const tags = ['invoices'];

/** Issue, send and void, each honouring Idempotency-Key (mount with prefix `/v1/invoices`). */
export function invoiceActionsRoutes(deps: InvoiceRoutesDeps): RoutePlugin {
  return async (app) => {
    const { authenticate, idempotent } = preHandlers(app, deps);

    app.post(
      '/:id/issue',
      {
        schema: {
          tags,
          summary: 'Issue a draft: assigns the next number, freezes seller, buyer and totals',
          security: bearer,
          params: InvoiceParamsSchema,
          headers: Type.Object({ ...IfMatchHeaderSchema.properties, ...IdempotencyHeadersSchema.properties }),
          response: { 200: InvoiceSchema, ...problems(400, 404, 409, 412, 422, 503) },
        },
        onRequest: authenticate,
        preHandler: idempotent,
      },
      async (request, reply) => {
        const ifMatch = parseIfMatch(request.headers['if-match']);
        const stored = await issueInvoice(deps, getAuth(request).orgId, request.params.id, ifMatch);
        return reply.header('etag', etagFor(stored.invoice.version)).send(toInvoice(stored));
      },
    );

    app.post(
      '/:id/send',
      {
        schema: {
          tags,
          summary: 'Email an issued invoice (to the client by default); the PDF is attached once rendered',
          security: bearer,
          params: InvoiceParamsSchema,
          headers: IdempotencyHeadersSchema,
          body: SendInvoiceBodySchema,
          response: { 202: SendInvoiceResponseSchema, ...problems(400, 404, 409, 422, 503) },
        },
        // No body means "send to the client's address": validate it as `{}`.
        preValidation: async (request) => {
          request.body ??= {};
        },
        onRequest: authenticate,
        preHandler: idempotent,
      },
      async (request, reply) => {
        const { requestId } = await sendInvoice(
          deps,
          getAuth(request).orgId,
          request.params.id,
          request.body,
        );
        return reply.code(202).send({ requestId, status: 'queued' as const });
      },
    );

    app.post(
      '/:id/void',
      {
        schema: {
          tags,
          summary:
            'Void an issued invoice without payments (its number stays used; the PDF is re-rendered marked VOID)',
          security: bearer,
          params: InvoiceParamsSchema,
          headers: IdempotencyHeadersSchema,
          body: VoidInvoiceBodySchema,
          response: { 200: InvoiceSchema, ...problems(400, 404, 409, 422) },
        },
        onRequest: authenticate,
        preHandler: idempotent,
      },
      async (request, reply) => {
        const { orgId } = getAuth(request);
        const stored = await voidIssuedInvoice(deps, orgId, request.params.id, request.body.reason);
        return reply.header('etag', etagFor(stored.invoice.version)).send(toInvoice(stored));
      },
    );
  };
}
