/** `GET /v1/documents/{id}`: metadata of one rendered document of the caller's organization. */
import { DocumentIdParamsSchema, DocumentSchema } from '@invoice/contracts';
import { getAuth, ProblemRef, requireAuth, type RoutePlugin } from '@invoice/platform-http';
import { getDocument } from '../application/documents.ts';
import type { Deps } from '../deps.ts';
import { toDocumentView } from './document-view.ts';

/** What the routes need. */
export type DocumentsRouteDeps = Pick<Deps, 'orm' | 'verifier'>;

/** The routes under `/v1/documents`. */
export function documentsRoutes(deps: DocumentsRouteDeps): RoutePlugin {
  return async (app) => {
    app.get(
      '/:id',
      {
        onRequest: requireAuth(deps.verifier),
        schema: {
          tags: ['documents'],
          summary: 'Get the metadata of a document (status, version, sha256, size)',
          security: [{ bearerAuth: [] }],
          params: DocumentIdParamsSchema,
          response: { 200: DocumentSchema, 401: ProblemRef, 404: ProblemRef },
        },
      },
      async (request) => {
        return toDocumentView(await getDocument(deps, getAuth(request), request.params.id));
      },
    );
  };
}
