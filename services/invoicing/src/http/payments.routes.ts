/** `/v1/invoices/{id}/payments`: record, list, reverse and refund the payments of an issued invoice. */
import {
  InvoiceParamsSchema,
  PaymentListSchema,
  PaymentParamsSchema,
  PaymentSchema,
  RecordPaymentBodySchema,
  RecordRefundBodySchema,
  ReversePaymentBodySchema,
} from '@invoice/contracts';
import { getAuth, IdempotencyHeadersSchema, type RoutePlugin } from '@invoice/platform-http';
import { listPayments, recordPayment, refundPayment, reversePayment } from '../application/payments.ts';
import { bearer, preHandlers, problems, type InvoiceRoutesDeps } from './http-support.ts';

const tags = ['payments'];

/** The payment routes (mount with prefix `/v1/invoices`). */
export function paymentsRoutes(deps: InvoiceRoutesDeps): RoutePlugin {
  return async (app) => {
    const { authenticate, idempotent } = preHandlers(app, deps);

    app.post(
      '/:id/payments',
      {
        schema: {
          tags,
          summary:
            'Record a payment: partial → partially_paid, in full → paid; more than due only with allowCreditBalance',
          security: bearer,
          params: InvoiceParamsSchema,
          headers: IdempotencyHeadersSchema,
          body: RecordPaymentBodySchema,
          response: { 201: PaymentSchema, ...problems(400, 404, 409, 422) },
        },
        onRequest: authenticate,
        preHandler: idempotent,
      },
      async (request, reply) => {
        const { id } = request.params;
        const payment = await recordPayment(deps, getAuth(request).orgId, id, request.body);
        return reply.code(201).header('location', `/v1/invoices/${id}/payments/${payment.id}`).send(payment);
      },
    );

    app.get(
      '/:id/payments',
      {
        schema: {
          tags,
          summary: 'List the payments of an invoice, oldest first (reversed ones included)',
          security: bearer,
          params: InvoiceParamsSchema,
          response: { 200: PaymentListSchema, ...problems(400, 404) },
        },
        onRequest: authenticate,
      },
      async (request) => ({
        items: await listPayments(deps, getAuth(request).orgId, request.params.id),
      }),
    );

    app.delete(
      '/:id/payments/:paymentId',
      {
        schema: {
          tags,
          summary:
            'Reverse a payment with a reason (it stays in the history); repeating the same reversal answers it again',
          security: bearer,
          params: PaymentParamsSchema,
          body: ReversePaymentBodySchema,
          response: { 200: PaymentSchema, ...problems(400, 404, 409, 422) },
        },
        onRequest: authenticate,
      },
      async (request) => {
        const { id, paymentId } = request.params;
        return reversePayment(deps, getAuth(request).orgId, id, paymentId, request.body.reason);
      },
    );

    app.post(
      '/:id/payments/:paymentId/refunds',
      {
        schema: {
          tags,
          summary:
            'Record a refund against a payment (its credit balance first, then what settled the invoice)',
          security: bearer,
          params: PaymentParamsSchema,
          headers: IdempotencyHeadersSchema,
          body: RecordRefundBodySchema,
          response: { 201: PaymentSchema, ...problems(400, 404, 409, 422) },
        },
        onRequest: authenticate,
        preHandler: idempotent,
      },
      async (request, reply) => {
        const { id, paymentId } = request.params;
        const payment = await refundPayment(deps, getAuth(request).orgId, id, paymentId, request.body);
        return reply.code(201).send(payment);
      },
    );
  };
}
