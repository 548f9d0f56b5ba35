/**
 * `GET /v1/invoices/{id}/pdf`: a redirect to a short-lived presigned S3 URL of the newest ready
 * PDF, 202 with `Retry-After` while it renders, 404 when the caller's organization has no document
 * for that id (drafts, unknown ids and other organizations' invoices alike), 409
 * DOCUMENT_RENDER_FAILED when nothing is ready or rendering and a render failed for good.
 */
import { AppError, DocumentIdParamsSchema, DocumentPendingSchema } from '@invoice/contracts';
import { getAuth, ProblemRef, requireAuth, Type, type App } from '@invoice/platform-http';
import type { Deps } from '../deps.ts';
import { findSourceDocuments } from '../db/documents.repository.ts';
import { pdfFilename } from '../domain/document-key.ts';
import { pdfAvailability } from '../domain/pdf-availability.ts';

/** Presigned links live five minutes: long enough to follow, too short to share around. */
const LINK_SECONDS = 300;

/** Registers the route on the app. */
export async function invoicePdfRoutes(
  app: App,
  deps: Pick<Deps, 'orm' | 'storage' | 'verifier'>,
): Promise<void> {
  app.get(
    '/v1/invoices/:id/pdf',
    {
      preHandler: requireAuth(deps.verifier),
      schema: {
        tags: ['documents'],
        summary: 'Download the PDF of an issued invoice',
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
      const { orgId } = getAuth(request);
      const documents = await findSourceDocuments(deps.orm.em.fork(), orgId, request.params.id);
      const availability = pdfAvailability(documents);
      switch (availability.kind) {
        case 'ready': {
          const { document } = availability;
          const url = await deps.storage.presignedGetUrl(document.s3Key, {
            expiresInSeconds: LINK_SECONDS,
            filename: pdfFilename(document.number),
          });
          return reply.header('cache-control', 'private, no-store').redirect(url, 302);
        }
        case 'pending':
          return reply
            .status(202)
            .header('retry-after', '1')
            .send({ status: 'pending' as const, documentId: availability.document.id });
        case 'failed':
          throw new AppError('DOCUMENT_RENDER_FAILED', {
            detail: 'The PDF of this invoice could not be rendered',
          });
        case 'none':
          throw new AppError('NOT_FOUND', { detail: 'No issued invoice with this id' });
      }
    },
  );
}
