/** `GET /v1/emails` and `GET /v1/emails/{id}`: the organization's email log. */
import {
  AppError,
  EmailListQuerySchema,
  EmailMessagePageSchema,
  EmailMessageSchema,
  IdSchema,
  type EmailMessage,
} from '@invoice/contracts';
import type { InferEntity } from '@mikro-orm/core';
import type { MikroORM } from '@invoice/platform-db';
import {
  decodeCursor,
  getAuth,
  pageOf,
  ProblemRef,
  requireAuth,
  Type,
  type App,
  type JwtVerifier,
} from '@invoice/platform-http';
import { Email } from '../db/email.entity.ts';

/** What the routes need. */
export interface EmailsRoutesOptions {
  orm: MikroORM;
  verifier: JwtVerifier;
}

const errors = { 400: ProblemRef, 401: ProblemRef, 404: ProblemRef, 503: ProblemRef };

/** Registers the email log routes. */
export async function emailsRoutes(app: App, options: EmailsRoutesOptions): Promise<void> {
  const preHandler = requireAuth(options.verifier);

  app.get(
    '/v1/emails',
    {
      preHandler,
      schema: {
        tags: ['emails'],
        summary: 'List the emails sent or queued for the organization (newest first)',
        security: [{ bearerAuth: [] }],
        querystring: EmailListQuerySchema,
        response: { 200: EmailMessagePageSchema, ...errors },
      },
    },
    async (request) => {
      const { orgId } = getAuth(request);
      const { limit = 50, cursor, invoiceId, status } = request.query;
      const em = options.orm.em.fork();
      const rows = await em.find(
        Email,
        {
          orgId,
          ...(invoiceId ? { invoiceId } : {}),
          ...(status ? { status } : {}),
          ...(cursor ? { id: { $lt: decodeCursor(cursor) } } : {}),
        },
        { orderBy: { id: 'desc' }, limit: limit + 1 },
      );
      const page = pageOf(rows, limit);
      return { items: page.items.map(toMessage), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/emails/:id',
    {
      preHandler,
      schema: {
        tags: ['emails'],
        summary: 'One email of the organization',
        security: [{ bearerAuth: [] }],
        params: Type.Object({ id: IdSchema }),
        response: { 200: EmailMessageSchema, ...errors },
      },
    },
    async (request) => {
      const { orgId } = getAuth(request);
      const email = await options.orm.em.fork().findOne(Email, { id: request.params.id, orgId });
      if (!email) throw new AppError('NOT_FOUND');
      return toMessage(email);
    },
  );
}

function toMessage(email: InferEntity<typeof Email>): EmailMessage {
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
