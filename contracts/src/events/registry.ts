/**
 * The event registry: one data schema per subject. `validateEvent` checks an envelope and its data
 * against the contract; `eventJsonSchemas` exports them (with `$id` = subject) for outside consumers.
 */
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { EnvelopeSchema } from '../envelope.ts';
import { Subjects, type Subject } from '../subjects.ts';
import * as auth from './auth.ts';
import * as catalog from './catalog.ts';
import * as invoicing from './invoicing.ts';
import * as document from './document.ts';
import * as notification from './notification.ts';
import * as quotes from './quotes.ts';
import * as recurring from './recurring.ts';

/** Data schema of every event type. */
export const EventDataSchemas: Record<Subject, TSchema> = {
  [Subjects.UserRegistered]: auth.UserRegisteredSchema,
  [Subjects.EmailVerificationRequested]: auth.EmailVerificationRequestedSchema,
  [Subjects.PasswordResetRequested]: auth.PasswordResetRequestedSchema,
  [Subjects.OrganizationUpdated]: auth.OrganizationUpdatedSchema,
  [Subjects.MembershipChanged]: auth.MembershipChangedSchema,
  [Subjects.InvitationCreated]: auth.InvitationCreatedSchema,
  [Subjects.InvitationRevoked]: auth.InvitationRevokedSchema,
  [Subjects.InvitationAccepted]: auth.InvitationAcceptedSchema,
  [Subjects.MemberApprovalRequested]: auth.MemberApprovalRequestedSchema,
  [Subjects.MemberActivated]: auth.MemberActivatedSchema,
  [Subjects.PasswordChanged]: auth.PasswordChangedSchema,
  [Subjects.SignupExistingAccount]: auth.SignupExistingAccountSchema,
  [Subjects.ApiKeyCreated]: auth.ApiKeyCreatedEventSchema,
  [Subjects.ApiKeyRevoked]: auth.ApiKeyRevokedSchema,
  [Subjects.OrganizationSettingsChanged]: auth.OrganizationSettingsChangedSchema,
  [Subjects.ClientUpserted]: catalog.ClientUpsertedSchema,
  [Subjects.ClientDeleted]: catalog.ClientDeletedSchema,
  [Subjects.ProductUpserted]: catalog.ProductUpsertedSchema,
  [Subjects.ProductDeleted]: catalog.ProductDeletedSchema,
  [Subjects.CategoryUpserted]: catalog.CategoryUpsertedSchema,
  [Subjects.CategoryDeleted]: catalog.CategoryDeletedSchema,
  [Subjects.ImportCompleted]: catalog.ImportCompletedSchema,
  [Subjects.InvoiceIssued]: invoicing.InvoiceIssuedSchema,
  [Subjects.InvoiceUpdated]: invoicing.InvoiceUpdatedSchema,
  [Subjects.InvoiceSendRequested]: invoicing.InvoiceSendRequestedSchema,
  [Subjects.InvoicePaymentRecorded]: invoicing.InvoicePaymentRecordedSchema,
  [Subjects.InvoicePaymentReversed]: invoicing.InvoicePaymentReversedSchema,
  [Subjects.InvoiceRefundRecorded]: invoicing.InvoiceRefundRecordedSchema,
  [Subjects.InvoicePaid]: invoicing.InvoicePaidSchema,
  [Subjects.InvoiceVoided]: invoicing.InvoiceVoidedSchema,
  [Subjects.CreditNoteIssued]: invoicing.CreditNoteIssuedSchema,
  [Subjects.InvoiceOverdue]: invoicing.InvoiceOverdueSchema,
  [Subjects.InvoiceReminderDue]: invoicing.InvoiceReminderDueSchema,
  [Subjects.QuoteUpdated]: quotes.QuoteUpdatedSchema,
  [Subjects.QuoteSent]: quotes.QuoteSentSchema,
  [Subjects.QuoteAccepted]: quotes.QuoteDecidedSchema,
  [Subjects.QuoteDeclined]: quotes.QuoteDecidedSchema,
  [Subjects.QuoteExpired]: quotes.QuoteDecidedSchema,
  [Subjects.QuoteConverted]: quotes.QuoteConvertedSchema,
  [Subjects.RecurringOccurrenceCreated]: recurring.RecurringOccurrenceCreatedSchema,
  [Subjects.RecurringOccurrenceFailed]: recurring.RecurringOccurrenceFailedSchema,
  [Subjects.DocumentRendered]: document.DocumentRenderedSchema,
  [Subjects.DocumentRenderFailed]: document.DocumentRenderFailedSchema,
  [Subjects.EmailDelivered]: notification.EmailDeliveredSchema,
  [Subjects.EmailFailed]: notification.EmailFailedSchema,
};

/** Full envelope schema of an event type, with `$id` = the subject. */
export function envelopeSchemaFor(subject: Subject): TSchema {
  return { ...EnvelopeSchema(EventDataSchemas[subject]), $id: subject, title: subject };
}

const validators = new Map(
  (Object.keys(EventDataSchemas) as Subject[]).map((subject) => [
    subject,
    Compile(envelopeSchemaFor(subject)),
  ]),
);

/** True when the subject is a known event type. */
export function isKnownSubject(subject: string): subject is Subject {
  return validators.has(subject as Subject);
}

/**
 * Validates an envelope against the contract of `subject`. Returns the problems (empty when valid):
 * an unknown subject, a `type` that differs from the subject, or schema errors.
 */
export function validateEvent(subject: string, envelope: unknown): string[] {
  const validator = validators.get(subject as Subject);
  if (!validator) return [`unknown event type ${subject}`];
  if ((envelope as { type?: string })?.type !== subject) return [`type does not match subject ${subject}`];
  if (validator.Check(envelope)) return [];
  return [...validator.Errors(envelope)].slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** JSON Schema documents for every event envelope, keyed by subject. */
export function eventJsonSchemas(): Record<string, unknown> {
  return Object.fromEntries(
    (Object.keys(EventDataSchemas) as Subject[]).map((subject) => [
      subject,
      JSON.parse(JSON.stringify(envelopeSchemaFor(subject))),
    ]),
  );
}
