/** `/v1/invoice-settings`: the organization's reminder policy and payment-receipt choice. */
import { InvoiceSettingsSchema, PutInvoiceSettingsBodySchema } from '@invoice/contracts';
import { getAuth, requirePermission, type RoutePlugin } from '@invoice/platform-http';
import { getInvoiceSettings, putInvoiceSettings } from '../application/invoice-settings.ts';
import { bearer, preHandlers, problems, type InvoiceRoutesDeps } from './http-support.ts';

const tags = ['invoice settings'];

/** The settings routes (mount with prefix `/v1/invoice-settings`). */
export function invoiceSettingsRoutes(deps: InvoiceRoutesDeps): RoutePlugin {
  return async (app) => {
    const { authenticate } = preHandlers(app, deps);

    app.get(
      '/',
      {
        schema: {
          tags,
          summary: 'Get the reminder policy of overdue invoices and whether buyers get payment receipts',
          security: bearer,
          response: { 200: InvoiceSettingsSchema, ...problems() },
        },
        onRequest: authenticate,
      },
      async (request) => getInvoiceSettings(deps, getAuth(request).orgId),
    );

    app.put(
      '/',
      {
        schema: {
          tags,
          summary:
            'Set the reminder policy (first reminder N days after the due date, then every M days, at most K) and payment receipts',
          security: bearer,
          body: PutInvoiceSettingsBodySchema,
          response: { 200: InvoiceSettingsSchema, ...problems(400, 403) },
        },
        // Numbering and reminder policy are the organization's settings: admins only.
        onRequest: authenticate,
        preValidation: requirePermission('admin'),
      },
      async (request) => putInvoiceSettings(deps, getAuth(request).orgId, request.body),
    );
  };
}
