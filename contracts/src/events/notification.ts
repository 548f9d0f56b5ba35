/** Events published by the notification service. */
import { Type, type Static } from 'typebox';
import { IdSchema } from '../primitives.ts';

/** An email was accepted by the SMTP server. */
export const EmailDeliveredSchema = Type.Object({
  emailId: IdSchema,
  template: Type.String(),
  to: Type.Array(Type.String()),
  invoiceId: Type.Optional(IdSchema),
  providerMessageId: Type.Optional(Type.String()),
  attempts: Type.Integer({ minimum: 1 }),
});
export type EmailDelivered = Static<typeof EmailDeliveredSchema>;

/** An email could not be delivered (permanent failure or retries exhausted). */
export const EmailFailedSchema = Type.Object({
  emailId: IdSchema,
  template: Type.String(),
  to: Type.Array(Type.String()),
  invoiceId: Type.Optional(IdSchema),
  reason: Type.String(),
  attempts: Type.Integer({ minimum: 1 }),
});
export type EmailFailed = Static<typeof EmailFailedSchema>;
