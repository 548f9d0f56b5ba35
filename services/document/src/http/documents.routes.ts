/** `GET /v1/documents/{id}`: metadata of one rendered document of the caller's organization. */
import { AppError, DocumentIdParamsSchema, DocumentSchema } from '@invoice/contracts';
import { getAuth, ProblemRef, requireAuth, type App } from '@invoice/platform-http';
import type { Deps } from '../deps.ts';
import { findOrgDocument } from '../db/documents.repository.ts';
import { toDocumentView } from './document-view.ts';

/** Registers the route on the app. */
export async function documentsRoutes(app: App, deps: Pick<Deps, 'orm' | 'verifier'>): Promise<void> {
  app.get(
    '/v1/documents/:id',
    {
      preHandler: requireAuth(deps.verifier),
      schema: {
        tags: ['documents'],
        summary: 'Get the metadata of a document (status, version, sha256, size)',
        security: [{ bearerAuth: [] }],
        params: DocumentIdParamsSchema,
        response: { 200: DocumentSchema, 401: ProblemRef, 404: ProblemRef },
      },
    },
    async (request) => {
      const { orgId } = getAuth(request);
      const row = await findOrgDocument(deps.orm.em.fork(), orgId, request.params.id);
      if (!row) throw new AppError('NOT_FOUND', { detail: 'No document with this id' });
      return toDocumentView(row);
    },
  );
}
