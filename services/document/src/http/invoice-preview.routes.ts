/**
 * `GET /v1/invoices/{id}/preview.pdf`: a draft rendered on request, watermarked DRAFT, never stored
 * (the issued invoice's stored PDF is `/pdf`).
 */
import { DocumentIdParamsSchema } from '@invoice/contracts';
import { getAuth, ProblemRef, requireAuth, Type, type RoutePlugin } from '@invoice/platform-http';
import { draftPreviewPdf } from '../application/preview.ts';
import type { Deps } from '../deps.ts';

/** The route under `/v1/invoices`. */
export function invoicePreviewRoutes(deps: Pick<Deps, 'bus' | 'verifier'>): RoutePlugin {
  return async (app) => {
    app.get(
      '/:id/preview.pdf',
      {
        onRequest: requireAuth(deps.verifier),
        schema: {
          tags: ['documents'],
          summary: 'Preview a draft as a PDF, watermarked DRAFT (rendered now, nothing stored)',
          security: [{ bearerAuth: [] }],
          params: DocumentIdParamsSchema,
          produces: ['application/pdf'],
          response: {
            // Sent as bytes (fastify never serializes a Buffer); the schema documents the body.
            200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The PDF' }),
            401: ProblemRef,
            404: ProblemRef,
            409: ProblemRef,
            422: ProblemRef,
            503: ProblemRef,
          },
        },
      },
      async (request, reply) => {
        const pdf = await draftPreviewPdf(deps, getAuth(request), request.params.id);
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', 'inline; filename="draft-preview.pdf"')
          .header('cache-control', 'private, no-store')
          .send(pdf);
      },
    );
  };
}
