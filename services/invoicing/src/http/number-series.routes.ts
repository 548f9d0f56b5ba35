/** `/v1/number-series`: the organization's number series per document type, with the next number. */
import {
  NumberSeriesListSchema,
  NumberSeriesParamsSchema,
  NumberSeriesQuerySchema,
  NumberSeriesSchema,
  PutNumberSeriesBodySchema,
} from '@invoice/contracts';
import { getAuth, requirePermission, type RoutePlugin } from '@invoice/platform-http';
import { getNumberSeries, listNumberSeries, putNumberSeries } from '../application/number-series.ts';
import { bearer, preHandlers, problems, type InvoiceRoutesDeps } from './http-support.ts';

const tags = ['number series'];

/** The number-series routes (mount with prefix `/v1/number-series`). */
export function numberSeriesRoutes(deps: InvoiceRoutesDeps): RoutePlugin {
  return async (app) => {
    const { authenticate } = preHandlers(app, deps);

    app.get(
      '/',
      {
        schema: {
          tags,
          summary: 'List the number series (invoice, credit_note) with the next number of each',
          security: bearer,
          querystring: NumberSeriesQuerySchema,
          response: { 200: NumberSeriesListSchema, ...problems(400) },
        },
        onRequest: authenticate,
      },
      async (request) => ({
        items: await listNumberSeries(deps, getAuth(request).orgId, request.query.date),
      }),
    );

    app.get(
      '/:documentType',
      {
        schema: {
          tags,
          summary: 'Get a number series with the number the next document gets',
          security: bearer,
          params: NumberSeriesParamsSchema,
          querystring: NumberSeriesQuerySchema,
          response: { 200: NumberSeriesSchema, ...problems(400) },
        },
        onRequest: authenticate,
      },
      async (request) =>
        getNumberSeries(deps, getAuth(request).orgId, request.params.documentType, request.query.date),
    );

    app.put(
      '/:documentType',
      {
        schema: {
          tags,
          summary:
            'Set the pattern ({YYYY} {YY} {MM} {SEQ:n} and literals) and reset period; numbers already used never come back',
          security: bearer,
          params: NumberSeriesParamsSchema,
          body: PutNumberSeriesBodySchema,
          response: { 200: NumberSeriesSchema, ...problems(400, 403) },
        },
        // Numbering and reminder policy are the organization's settings: admins only.
        onRequest: authenticate,
        preValidation: requirePermission('admin'),
      },
      async (request) =>
        putNumberSeries(deps, getAuth(request).orgId, request.params.documentType, request.body),
    );
  };
}
