/** `/v1/invoices/{id}/issue` and `/send`: the actions on an invoice. */
import {
  InvoiceParamsSchema,
  InvoiceSchema,
  SendInvoiceBodySchema,
  SendInvoiceResponseSchema,
} from '@invoice/contracts';
import { getAuth, IdempotencyHeadersSchema, type App } from '@invoice/platform-http';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { Type } from 'typebox';
import { issueInvoice } from '../application/issue.ts';
import { sendInvoice } from '../application/send.ts';
import type { ServiceDeps } from '../deps.ts';
import { bearer, IfMatchHeadersSchema, parseIfMatch, problems } from './http-support.ts';
import { etagOf, toInvoice } from './presenter.ts';

const tags = ['invoices'];

/** Registers issue and send (both honour Idempotency-Key through `idempotent`). */
export function registerInvoiceActionRoutes(
  app: App,
  deps: ServiceDeps,
  authenticate: preHandlerAsyncHookHandler,
  idempotent: preHandlerAsyncHookHandler,
): void {
  app.post(
    '/v1/invoices/:id/issue',
    {
      schema: {
        tags,
        summary: 'Issue a draft: assigns the next number, freezes seller, buyer and totals',
        security: bearer,
        params: InvoiceParamsSchema,
        headers: Type.Object({ ...IfMatchHeadersSchema.properties, ...IdempotencyHeadersSchema.properties }),
        response: { 200: InvoiceSchema, ...problems(400, 404, 409, 412, 422, 503) },
      },
      preHandler: [authenticate, idempotent],
    },
    async (request, reply) => {
      const expected = parseIfMatch(request.headers['if-match']);
      const stored = await issueInvoice(deps, getAuth(request).orgId, request.params.id, expected);
      return reply.header('etag', etagOf(stored.invoice)).send(toInvoice(stored));
    },
  );

  app.post(
    '/v1/invoices/:id/send',
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
      preHandler: [authenticate, idempotent],
    },
    async (request, reply) => {
      const { requestId } = await sendInvoice(deps, getAuth(request).orgId, request.params.id, request.body);
      return reply.code(202).send({ requestId, status: 'queued' as const });
    },
  );
}
