/**
 * `GET /v1/invoices/{id}/pdf`: a redirect to a short-lived presigned S3 URL of the newest ready
 * PDF, 202 with `Retry-After` while it renders, 404 when the caller's organization has no document
 * for that id (drafts, unknown ids and other organizations' invoices alike), 409
 * DOCUMENT_RENDER_FAILED when nothing is ready or rendering and a render failed for good.
 */
import { DocumentIdParamsSchema, DocumentPendingSchema } from '@invoice/contracts';
import { getAuth, ProblemRef, requireAuth, Type, type RoutePlugin } from '@invoice/platform-http';
import { invoicePdf } from '../application/documents.ts';
import type { Deps } from '../deps.ts';

/** What the route needs. */
export type InvoicePdfRouteDeps = Pick<Deps, 'orm' | 'storage' | 'verifier'>;

/** The route under `/v1/invoices` (and, for credit notes, `/v1/credit-notes`: `what` names the document). */
export function invoicePdfRoutes(deps: InvoicePdfRouteDeps, what = 'an issued invoice'): RoutePlugin {
  return async (app) => {
    app.get(
      '/:id/pdf',
      {
        onRequest: requireAuth(deps.verifier),
        schema: {
          tags: ['documents'],
          summary: `Download the PDF of ${what}`,
          description:
            'Redirects (302) to a presigned download URL valid for 5 minutes. While the PDF is being ' +
            'rendered the answer is 202 with `Retry-After`; a render that failed for good is 409 ' +
            '`DOCUMENT_RENDER_FAILED`.',
          security: [{ bearerAuth: [] }],
          params: DocumentIdParamsSchema,
          response: {
            202: DocumentPendingSchema,
            302: Type.Null({ description: 'Found: the `Location` header is the presigned download URL' }),
            401: ProblemRef,
            404: ProblemRef,
            409: ProblemRef,
          },
        },
      },
      async (request, reply) => {
        const pdf = await invoicePdf(deps, getAuth(request), request.params.id);
        if (pdf.kind === 'link')
          return reply.header('cache-control', 'private, no-store').redirect(pdf.url, 302);
        return reply
          .status(202)
          .header('retry-after', '1')
          .send({ status: 'pending' as const, documentId: pdf.documentId });
      },
    );
  };
}
