/**
 * The document service for one test file, through the platform's service harness: its own
 * database, NATS namespace, BullMQ prefix and bucket, a stand-in token issuer, the consumers and the
 * outbox relay; the render worker and its reconciler start when the test asks.
 */
import { Subjects, type EventEnvelope, type InvoiceIssued, type InvoiceSnapshot } from '@invoice/contracts';
import { startServiceHarness, type ServiceHarness, type TestS3 } from '@invoice/platform-testing';
import type { Config } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { service } from '../../src/service.ts';

/** A running document service for tests. */
export interface DocumentKit extends ServiceHarness<Config, Deps> {
  s3: TestS3;
  /** Publishes `invoicing.invoice.issued.v1` as invoicing's relay would. */
  publishIssued(
    orgId: string,
    invoice: InvoiceSnapshot,
    eventId?: string,
  ): Promise<EventEnvelope<InvoiceIssued>>;
}

/** Starts everything but the workers (call `startWorkers` when the test wants them). */
export async function startDocumentKit(env: Record<string, string> = {}): Promise<DocumentKit> {
  const harness = await startServiceHarness(service, {
    s3: true,
    // Tests run reconciliation passes themselves; the timer must not race them.
    env: { RECONCILE_INTERVAL_MS: '600000', ...env },
  });
  const { s3 } = harness;
  if (!s3) throw new Error('the document kit runs with S3');
  return Object.assign(harness, {
    s3,
    publishIssued: (orgId: string, invoice: InvoiceSnapshot, eventId?: string) =>
      harness.publish<InvoiceIssued>({
        type: Subjects.InvoiceIssued,
        source: 'invoicing',
        orgId,
        subject: invoice.id,
        data: { invoice },
        ...(eventId ? { id: eventId } : {}),
      }),
  });
}
