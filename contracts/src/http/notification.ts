/** Public HTTP schemas of the notification service (the email log). */
import { Type, type Static } from 'typebox';
import { DateTimeSchema, IdSchema, PageQuerySchema } from '../primitives.ts';

/** Lifecycle of a logged email: waiting_for_document → queued → sending → sent | failed. */
export const EmailStatusSchema = Type.Union(
  [
    Type.Literal('waiting_for_document'),
    Type.Literal('queued'),
    Type.Literal('sending'),
    Type.Literal('sent'),
    Type.Literal('failed'),
  ],
  { description: 'Delivery status' },
);
export type EmailStatus = Static<typeof EmailStatusSchema>;

/** One email of the organization's email log. */
export const EmailMessageSchema = Type.Object(
  {
    id: IdSchema,
    template: Type.String({
      description: 'Template name, e.g. invoice or verify-email',
      examples: ['invoice'],
    }),
    to: Type.Array(Type.String()),
    subject: Type.String(),
    status: EmailStatusSchema,
    attempts: Type.Integer({ minimum: 0, description: 'SMTP delivery attempts so far' }),
    invoiceId: Type.Union([IdSchema, Type.Null()]),
    createdAt: DateTimeSchema,
    sentAt: Type.Union([DateTimeSchema, Type.Null()]),
    lastError: Type.Union([Type.String(), Type.Null()], { description: 'Last SMTP or delivery error' }),
  },
  { title: 'EmailMessage' },
);
export type EmailMessage = Static<typeof EmailMessageSchema>;

/** `GET /v1/emails` query: filters plus cursor pagination (newest first). */
export const EmailListQuerySchema = Type.Object({
  ...PageQuerySchema.properties,
  invoiceId: Type.Optional(IdSchema),
  status: Type.Optional(EmailStatusSchema),
});
export type EmailListQuery = Static<typeof EmailListQuerySchema>;

/** A page of the email log. */
export const EmailMessagePageSchema = Type.Object({
  items: Type.Array(EmailMessageSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type EmailMessagePage = Static<typeof EmailMessagePageSchema>;
