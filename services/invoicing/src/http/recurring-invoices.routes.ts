/**
 * `/v1/recurring-invoices`: templates with a schedule that create invoices (create, list, read,
 * edit, delete, pause, resume, occurrences). Thin: parse → use case → shape. Without
 * `all_invoices_access` a member sees and changes only the recurring invoices they created.
 */
import {
  CreateRecurringInvoiceBodySchema,
  RecurringInvoiceListQuerySchema,
  RecurringInvoicePageSchema,
  RecurringInvoiceParamsSchema,
  RecurringInvoiceSchema,
  RecurringOccurrenceListSchema,
  UpdateRecurringInvoiceBodySchema,
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
import {
  assertRecurringCreatedBy,
  createRecurring,
  deleteRecurring,
  getRecurring,
  listRecurring,
  occurrencesOf,
  pauseRecurring,
  resumeRecurring,
  updateRecurring,
} from '../application/recurring.ts';
import { toOccurrence, toRecurringInvoice } from '../application/recurring-view.ts';
import type { Clock } from '../deps.ts';
import { creatorFilter } from './creator-scope.ts';
import { bearer, preHandlers, problems, type InvoiceRoutesDeps } from './http-support.ts';

const tags = ['recurring invoices'];

/** The recurring-invoice routes (mount with prefix `/v1/recurring-invoices`). */
export function recurringInvoicesRoutes(deps: InvoiceRoutesDeps & { clock: Clock }): RoutePlugin {
  return async (app) => {
    const { authenticate, idempotent } = preHandlers(app, deps);
    // all_invoices_access, as for invoices: another member's recurring invoice is 404.
    app.addHook('preHandler', async (request) => {
      const { id } = (request.params ?? {}) as { id?: string };
      if (!id) return;
      const caller = getAuth(request);
      const only = creatorFilter(caller);
      if (!only) return;
      await assertRecurringCreatedBy(deps, caller.orgId, id, only);
    });

    app.post(
      '/',
      {
        schema: {
          tags,
          summary: 'Create a recurring invoice: a template and the schedule that turns it into invoices',
          security: bearer,
          headers: IdempotencyHeadersSchema,
          body: CreateRecurringInvoiceBodySchema,
          response: { 201: RecurringInvoiceSchema, ...problems(400, 409, 422, 503) },
        },
        onRequest: authenticate,
        preHandler: idempotent,
      },
      async (request, reply) => {
        const caller = getAuth(request);
        const row = await createRecurring(deps, caller.orgId, request.body, caller.userId);
        return reply
          .code(201)
          .header('etag', etagFor(row.version))
          .header('location', `/v1/recurring-invoices/${row.id}`)
          .send(toRecurringInvoice(row));
      },
    );

    app.get(
      '/',
      {
        schema: {
          tags,
          summary: 'List recurring invoices, newest first (cursor pagination; filter by status, client)',
          security: bearer,
          querystring: RecurringInvoiceListQuerySchema,
          response: { 200: RecurringInvoicePageSchema, ...problems(400) },
        },
        onRequest: authenticate,
      },
      async (request) => {
        const caller = getAuth(request);
        const page = await listRecurring(deps, caller.orgId, request.query, creatorFilter(caller));
        return { items: page.items.map(toRecurringInvoice), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Get a recurring invoice with its schedule and next occurrence',
          security: bearer,
          params: RecurringInvoiceParamsSchema,
          response: { 200: RecurringInvoiceSchema, ...problems(400, 404) },
        },
        onRequest: authenticate,
      },
      async (request, reply) => {
        const row = await getRecurring(deps, getAuth(request).orgId, request.params.id);
        return reply.header('etag', etagFor(row.version)).send(toRecurringInvoice(row));
      },
    );

    app.get(
      '/:id/occurrences',
      {
        schema: {
          tags,
          summary:
            'List the occurrences of a recurring invoice (the invoice of each, and any failure), oldest first',
          security: bearer,
          params: RecurringInvoiceParamsSchema,
          response: { 200: RecurringOccurrenceListSchema, ...problems(400, 404) },
        },
        onRequest: authenticate,
      },
      async (request) => {
        const rows = await occurrencesOf(deps, getAuth(request).orgId, request.params.id);
        return { items: rows.map(toOccurrence) };
      },
    );

    app.patch(
      '/:id',
      {
        schema: {
          tags,
          summary:
            'Edit a recurring invoice: later occurrences use the new template (the schedule only before its first)',
          security: bearer,
          params: RecurringInvoiceParamsSchema,
          headers: IfMatchHeaderSchema,
          body: UpdateRecurringInvoiceBodySchema,
          response: { 200: RecurringInvoiceSchema, ...problems(400, 404, 409, 412, 422, 503) },
        },
        onRequest: authenticate,
      },
      async (request, reply) => {
        const ifMatch = parseIfMatch(request.headers['if-match']);
        const { orgId } = getAuth(request);
        const row = await updateRecurring(deps, orgId, request.params.id, request.body, ifMatch);
        return reply.header('etag', etagFor(row.version)).send(toRecurringInvoice(row));
      },
    );

    app.delete(
      '/:id',
      {
        schema: {
          tags,
          summary: 'Delete a recurring invoice (the invoices it created stay)',
          security: bearer,
          params: RecurringInvoiceParamsSchema,
          headers: IfMatchHeaderSchema,
          response: { 204: Type.Null({ description: 'Deleted' }), ...problems(400, 404, 412) },
        },
        onRequest: authenticate,
      },
      async (request, reply) => {
        const ifMatch = parseIfMatch(request.headers['if-match']);
        await deleteRecurring(deps, getAuth(request).orgId, request.params.id, ifMatch);
        return reply.code(204).send(null);
      },
    );

    for (const [action, summary, run] of [
      ['pause', 'Pause a recurring invoice: no invoices are created until it is resumed', pauseRecurring],
      [
        'resume',
        'Resume a paused recurring invoice (occurrences that fell due while paused are skipped)',
        resumeRecurring,
      ],
    ] as const) {
      app.post(
        `/:id/${action}`,
        {
          schema: {
            tags,
            summary,
            security: bearer,
            params: RecurringInvoiceParamsSchema,
            headers: Type.Object({
              ...IfMatchHeaderSchema.properties,
              ...IdempotencyHeadersSchema.properties,
            }),
            response: { 200: RecurringInvoiceSchema, ...problems(400, 404, 409, 412, 422) },
          },
          onRequest: authenticate,
          preHandler: idempotent,
        },
        async (request, reply) => {
          const ifMatch = parseIfMatch(request.headers['if-match']);
          const row = await run(deps, getAuth(request).orgId, request.params.id, ifMatch);
          return reply.header('etag', etagFor(row.version)).send(toRecurringInvoice(row));
        },
      );
    }
  };
}
