/**
 * Who may do what on NATS: the one table the nats-server permissions are generated from
 * (`npm run nats:config` writes deploy/nats/nats-server.conf; a test fails when it is stale, and
 * another when a service's consumers differ from its row here).
 *
 * A service publishes the subjects of its own stream (wildcard by service prefix: `invoicing.>`),
 * manages only that stream, creates and reads only the durables listed in its row (NATS wildcards
 * match whole tokens, so durable names are listed one by one), asks only the RPC subjects listed and
 * answers only its own, to the callers listed in `rpc`. A new subject under an existing service
 * prefix needs no change here; a new durable or RPC subject is one line.
 */
import { RpcSubjects, Streams, Subjects, type StreamDefinition } from './subjects.ts';

/** A service that connects to NATS (the gateway does not). */
export type BusService = 'auth' | 'catalog' | 'invoicing' | 'document' | 'notification';

/** One durable pull consumer: its name and the one subject it filters on. */
export interface DurableGrant {
  durable: string;
  subject: string;
}

/** What one service may do on the bus. */
export interface BusIdentity {
  /** The stream the service owns: it publishes its subjects and creates/updates it. */
  stream: StreamDefinition;
  /** Its durable consumers (on any stream). */
  durables: readonly DurableGrant[];
  /** RPC subjects it asks. */
  asks: readonly string[];
  /**
   * Reads `auth.membership.changed.v1` with an ordered (ephemeral) consumer, for the membership
   * versions the JWT verifier checks (`watchMembershipVersions`).
   */
  watchesMemberships: boolean;
}

/** The identity of every service, by its connection (user) name. */
export const BusIdentities: Record<BusService, BusIdentity> = {
  auth: { stream: Streams.AUTH, durables: [], asks: [], watchesMemberships: false },
  catalog: { stream: Streams.CATALOG, durables: [], asks: [], watchesMemberships: true },
  invoicing: {
    stream: Streams.INVOICING,
    durables: [
      { durable: 'invoicing-client-upserted', subject: Subjects.ClientUpserted },
      { durable: 'invoicing-client-deleted', subject: Subjects.ClientDeleted },
      { durable: 'invoicing-product-upserted', subject: Subjects.ProductUpserted },
      { durable: 'invoicing-product-deleted', subject: Subjects.ProductDeleted },
      { durable: 'invoicing-organization-updated', subject: Subjects.OrganizationUpdated },
      { durable: 'invoicing-email-delivered', subject: Subjects.EmailDelivered },
    ],
    asks: [RpcSubjects.CatalogClientGet, RpcSubjects.CatalogProductGet, RpcSubjects.AuthOrganizationGet],
    watchesMemberships: true,
  },
  document: {
    stream: Streams.DOCUMENT,
    durables: [
      { durable: 'document-invoice-issued', subject: Subjects.InvoiceIssued },
      { durable: 'document-invoice-voided', subject: Subjects.InvoiceVoided },
      { durable: 'document-credit-note-issued', subject: Subjects.CreditNoteIssued },
      { durable: 'document-quote-sent', subject: Subjects.QuoteSent },
    ],
    asks: [RpcSubjects.InvoicingInvoicePreview],
    watchesMemberships: true,
  },
  notification: {
    stream: Streams.NOTIFICATION,
    durables: [
      { durable: 'notification-email-verification-requested', subject: Subjects.EmailVerificationRequested },
      { durable: 'notification-password-reset-requested', subject: Subjects.PasswordResetRequested },
      { durable: 'notification-invoice-send-requested', subject: Subjects.InvoiceSendRequested },
      { durable: 'notification-invoice-reminder-due', subject: Subjects.InvoiceReminderDue },
      { durable: 'notification-invoice-payment-recorded', subject: Subjects.InvoicePaymentRecorded },
      { durable: 'notification-quote-sent', subject: Subjects.QuoteSent },
      { durable: 'notification-document-rendered', subject: Subjects.DocumentRendered },
      { durable: 'notification-document-render-failed', subject: Subjects.DocumentRenderFailed },
      { durable: 'notification-invitation-created', subject: Subjects.InvitationCreated },
      { durable: 'notification-member-approval-requested', subject: Subjects.MemberApprovalRequested },
      { durable: 'notification-member-activated', subject: Subjects.MemberActivated },
      { durable: 'notification-password-changed', subject: Subjects.PasswordChanged },
      { durable: 'notification-signup-existing-account', subject: Subjects.SignupExistingAccount },
    ],
    asks: [],
    watchesMemberships: true,
  },
};

/**
 * The read-only identity of other internal systems (`subscriber`): it may create and read durable
 * pull consumers of its own (any name but the platform's) on these streams, and publish nothing
 * else. Auth's stream is never among them.
 */
export const SubscriberStreams: readonly StreamDefinition[] = [
  Streams.INVOICING,
  Streams.DOCUMENT,
  Streams.NOTIFICATION,
];

/** The connection (user) name of the read-only subscriber identity. */
export const SUBSCRIBER_IDENTITY = 'subscriber';

/** The service that answers an RPC subject (`rpc.<service>.…`). */
export function rpcResponder(subject: string): BusService {
  return subject.split('.')[1] as BusService;
}

/** The services allowed to ask `subject` (derived from the `asks` of every identity). */
export function rpcCallers(subject: string): BusService[] {
  return (Object.keys(BusIdentities) as BusService[]).filter((service) =>
    BusIdentities[service].asks.includes(subject),
  );
}

/** The RPC subjects a service answers (every `rpc.<service>.…` subject). */
export function rpcAnswered(service: BusService): string[] {
  return Object.values(RpcSubjects).filter((subject) => rpcResponder(subject) === service);
}

/** True when `name` is a service with a bus identity. */
export function isBusService(name: string): name is BusService {
  return Object.hasOwn(BusIdentities, name);
}
