/**
 * Event subjects (`<service>.<aggregate>.<event>.v<major>`), the stream of each producing service,
 * and request/reply subjects (`rpc.<service>.…`, outside every stream).
 */

/** Every published event type. */
export const Subjects = {
  UserRegistered: 'auth.user.registered.v1',
  EmailVerificationRequested: 'auth.email-verification.requested.v1',
  PasswordResetRequested: 'auth.password-reset.requested.v1',
  OrganizationUpdated: 'auth.organization.updated.v1',
  MembershipChanged: 'auth.membership.changed.v1',
  InvitationCreated: 'auth.invitation.created.v1',
  InvitationRevoked: 'auth.invitation.revoked.v1',
  InvitationAccepted: 'auth.invitation.accepted.v1',
  MemberApprovalRequested: 'auth.member.approval-requested.v1',
  MemberActivated: 'auth.member.activated.v1',
  PasswordChanged: 'auth.password.changed.v1',
  SignupExistingAccount: 'auth.signup.existing-account.v1',
  ApiKeyCreated: 'auth.api-key.created.v1',
  ApiKeyRevoked: 'auth.api-key.revoked.v1',
  OrganizationSettingsChanged: 'auth.organization.settings-changed.v1',
  ClientUpserted: 'catalog.client.upserted.v1',
  ClientDeleted: 'catalog.client.deleted.v1',
  ProductUpserted: 'catalog.product.upserted.v1',
  ProductDeleted: 'catalog.product.deleted.v1',
  CategoryUpserted: 'catalog.category.upserted.v1',
  CategoryDeleted: 'catalog.category.deleted.v1',
  ImportCompleted: 'catalog.import.completed.v1',
  InvoiceIssued: 'invoicing.invoice.issued.v1',
  InvoiceUpdated: 'invoicing.invoice.updated.v1',
  InvoiceSendRequested: 'invoicing.invoice.send-requested.v1',
  InvoicePaymentRecorded: 'invoicing.invoice.payment-recorded.v1',
  InvoicePaymentReversed: 'invoicing.invoice.payment-reversed.v1',
  InvoiceRefundRecorded: 'invoicing.invoice.refund-recorded.v1',
  InvoicePaid: 'invoicing.invoice.paid.v1',
  InvoiceVoided: 'invoicing.invoice.voided.v1',
  CreditNoteIssued: 'invoicing.credit-note.issued.v1',
  InvoiceOverdue: 'invoicing.invoice.overdue.v1',
  InvoiceReminderDue: 'invoicing.invoice.reminder-due.v1',
  QuoteUpdated: 'invoicing.quote.updated.v1',
  QuoteSent: 'invoicing.quote.sent.v1',
  QuoteAccepted: 'invoicing.quote.accepted.v1',
  QuoteDeclined: 'invoicing.quote.declined.v1',
  QuoteExpired: 'invoicing.quote.expired.v1',
  QuoteConverted: 'invoicing.quote.converted.v1',
  RecurringOccurrenceCreated: 'invoicing.recurring-invoice.occurrence-created.v1',
  RecurringOccurrenceFailed: 'invoicing.recurring-invoice.occurrence-failed.v1',
  DocumentRendered: 'document.rendered.v1',
  DocumentRenderFailed: 'document.render-failed.v1',
  EmailDelivered: 'notification.email.delivered.v1',
  EmailFailed: 'notification.email.failed.v1',
} as const;

/** An event type / subject. */
export type Subject = (typeof Subjects)[keyof typeof Subjects];

/** A stream definition. */
export type StreamDefinition = { name: string; subjects: readonly string[]; maxAgeDays?: number };

/** One JetStream stream per producing service; it captures `<service>.>`. */
export const Streams: Record<
  'AUTH' | 'CATALOG' | 'INVOICING' | 'DOCUMENT' | 'NOTIFICATION',
  StreamDefinition
> = {
  // Auth events carry one-time tokens that expire within a day, readable only by auth and
  // notification (deploy/nats): keep them one day, the shortest that still outlives a token and a
  // consumer's restart; the organization replica recovers anything older over RPC.
  AUTH: { name: 'AUTH', subjects: ['auth.>'], maxAgeDays: 1 },
  CATALOG: { name: 'CATALOG', subjects: ['catalog.>'] },
  INVOICING: { name: 'INVOICING', subjects: ['invoicing.>'] },
  DOCUMENT: { name: 'DOCUMENT', subjects: ['document.>'] },
  NOTIFICATION: { name: 'NOTIFICATION', subjects: ['notification.>'] },
};

/** The stream that captures a subject. */
export function streamFor(subject: string): StreamDefinition {
  const prefix = subject.split('.')[0];
  const stream = Object.values(Streams).find((s) => s.subjects[0] === `${prefix}.>`);
  if (!stream) throw new Error(`no stream captures ${subject}`);
  return stream;
}

/** Request/reply subjects; they stay outside every stream so requests reach the service. */
export const RpcSubjects = {
  CatalogClientGet: 'rpc.catalog.client.get',
  CatalogProductGet: 'rpc.catalog.product.get',
  AuthOrganizationGet: 'rpc.auth.organization.get',
  InvoicingInvoicePreview: 'rpc.invoicing.invoice.preview',
} as const;
