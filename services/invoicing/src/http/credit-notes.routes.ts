/**
 * Credit notes: `POST/GET /v1/invoices/{id}/credit-notes` (mount `creditNotesOfInvoiceRoutes` with
 * prefix `/v1/invoices`), `GET /v1/credit-notes/{id}` and `POST /v1/credit-notes/{id}/send` (mount
 * `creditNotesRoutes` with prefix `/v1/credit-notes`).
 */
import {
  CreateCreditNoteBodySchema,
  CreditNoteListSchema,
  CreditNoteParamsSchema,
  CreditNoteSchema,
  InvoiceParamsSchema,
  SendInvoiceBodySchema,
  SendInvoiceResponseSchema,
} from '@invoice/contracts';
import { getAuth, IdempotencyHeadersSchema, type RoutePlugin } from '@invoice/platform-http';
import { sendCreditNote } from '../application/credit-note-send.ts';
import { createCreditNote, getCreditNote, listCreditNotes } from '../application/credit-notes.ts';
import { bearer, preHandlers, problems, type InvoiceRoutesDeps } from './http-support.ts';

const tags = ['credit notes'];

/** Issue and list the credit notes of an invoice. */
export function creditNotesOfInvoiceRoutes(deps: InvoiceRoutesDeps): RoutePlugin {
  return async (app) => {
    const { authenticate, idempotent } = preHandlers(app, deps);

    app.post(
      '/:id/credit-notes',
      {
        schema: {
          tags,
          summary:
            'Issue a credit note for chosen lines and quantities, a net amount per VAT rate, or (empty body) all that remains creditable',
          security: bearer,
          params: InvoiceParamsSchema,
          headers: IdempotencyHeadersSchema,
          body: CreateCreditNoteBodySchema,
          response: { 201: CreditNoteSchema, ...problems(400, 404, 409, 422) },
        },
        // No body means "credit everything that remains": validate it as `{}`.
        preValidation: async (request) => {
          request.body ??= {};
        },
        onRequest: authenticate,
        preHandler: idempotent,
      },
      async (request, reply) => {
        const creditNote = await createCreditNote(
          deps,
          getAuth(request).orgId,
          request.params.id,
          request.body,
        );
        return reply.code(201).header('location', `/v1/credit-notes/${creditNote.id}`).send(creditNote);
      },
    );

    app.get(
      '/:id/credit-notes',
      {
        schema: {
          tags,
          summary: 'List the credit notes of an invoice, oldest first',
          security: bearer,
          params: InvoiceParamsSchema,
          response: { 200: CreditNoteListSchema, ...problems(400, 404) },
        },
        onRequest: authenticate,
      },
      async (request) => ({
        items: await listCreditNotes(deps, getAuth(request).orgId, request.params.id),
      }),
    );
  };
}

/** Read and send one credit note. */
export function creditNotesRoutes(deps: InvoiceRoutesDeps): RoutePlugin {
  return async (app) => {
    const { authenticate, idempotent } = preHandlers(app, deps);

    app.post(
      '/:id/send',
      {
        schema: {
          tags,
          summary: 'Email a credit note (to the client by default); its PDF is attached once rendered',
          security: bearer,
          params: CreditNoteParamsSchema,
          headers: IdempotencyHeadersSchema,
          body: SendInvoiceBodySchema,
          response: { 202: SendInvoiceResponseSchema, ...problems(400, 404, 422) },
        },
        // No body means "send to the client's address": validate it as `{}`.
        preValidation: async (request) => {
          request.body ??= {};
        },
        onRequest: authenticate,
        preHandler: idempotent,
      },
      async (request, reply) => {
        const { requestId } = await sendCreditNote(
          deps,
          getAuth(request).orgId,
          request.params.id,
          request.body,
        );
        return reply.code(202).send({ requestId, status: 'queued' as const });
      },
    );
    app.get(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Get a credit note with its lines, totals and the invoice it credits',
          security: bearer,
          params: CreditNoteParamsSchema,
          response: { 200: CreditNoteSchema, ...problems(400, 404) },
        },
        onRequest: authenticate,
      },
      async (request) => getCreditNote(deps, getAuth(request).orgId, request.params.id),
    );
  };
}
