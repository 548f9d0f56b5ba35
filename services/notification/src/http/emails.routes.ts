/** `GET /v1/emails` and `GET /v1/emails/{id}`: the organization's email log. */
import {
  EmailListQuerySchema,
  EmailMessagePageSchema,
  EmailMessageSchema,
  IdSchema,
  type EmailMessage,
} from '@invoice/contracts';
import { getAuth, ProblemRef, requireAuth, Type, type RoutePlugin } from '@invoice/platform-http';
import { getEmail, listEmails } from '../application/email-log.ts';
import type { EmailRecord } from '../db/email.entity.ts';
import type { Deps } from '../deps.ts';

/** What the routes need. */
export type EmailsRouteDeps = Pick<Deps, 'orm' | 'verifier'>;

const errors = { 400: ProblemRef, 401: ProblemRef, 404: ProblemRef, 503: ProblemRef };

/** The routes under `/v1/emails`. */
export function emailsRoutes(deps: EmailsRouteDeps): RoutePlugin {
  return async (app) => {
    // Authenticated before anything else is read (as the route's onRequest hook).
    const onRequest = requireAuth(deps.verifier);

    app.get(
      '',
      {
        onRequest,
        schema: {
          tags: ['emails'],
          summary: 'List the emails sent or queued for the organization (newest first)',
          security: [{ bearerAuth: [] }],
          querystring: EmailListQuerySchema,
          response: { 200: EmailMessagePageSchema, ...errors },
        },
      },
      async (request) => {
        const page = await listEmails(deps, getAuth(request), request.query);
        return { items: page.items.map(toMessage), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/:id',
      {
        onRequest,
        schema: {
          tags: ['emails'],
          summary: 'One email of the organization',
          security: [{ bearerAuth: [] }],
          params: Type.Object({ id: IdSchema }),
          response: { 200: EmailMessageSchema, ...errors },
        },
      },
      async (request) => toMessage(await getEmail(deps, getAuth(request), request.params.id)),
    );
  };
}

function toMessage(email: EmailRecord): EmailMessage {
  return {
    id: email.id,
    template: email.template,
    to: email.to,
    subject: email.subject,
    status: email.status,
    attempts: email.attempts,
    invoiceId: email.invoiceId ?? null,
    createdAt: email.createdAt.toISOString(),
    sentAt: email.sentAt?.toISOString() ?? null,
    lastError: email.lastError ?? null,
  };
}
