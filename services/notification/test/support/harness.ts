/**
 * The notification service for one test file, through the platform's service harness: its own
 * database, NATS namespace and BullMQ prefix, an S3 bucket, an SMTP sink, a stand-in token issuer,
 * the consumers, the outbox relay and the send-email worker; with the {@link inspect} helpers.
 */
import {
  Subjects,
  type DocumentRendered,
  type EmailVerificationRequested,
  type EventEnvelope,
  type InvoiceSendRequested,
} from '@invoice/contracts';
import type { Reconciler } from '@invoice/platform-queue';
import { ObjectStorage } from '@invoice/platform-storage';
import {
  startServiceHarness,
  type ServiceHarness,
  type SmtpSink,
  type TestS3,
} from '@invoice/platform-testing';
import type { Config } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { service } from '../../src/service.ts';
import { emailReconciler } from '../../src/workers/index.ts';
import { inspect, type Inspector } from './inspect.ts';

/** A running notification service for tests, with the helpers that read its state. */
export interface Harness extends ServiceHarness<Config, Deps>, Inspector {
  s3: TestS3;
  smtp: SmtpSink;
  /** The bucket the service reads PDFs from, to store the files the tests' documents name. */
  storage: ObjectStorage;
  /** A reconciler of this service's emails whose passes the tests run themselves. */
  reconciler: Reconciler;
  /** Publishes `auth.email-verification.requested.v1` as auth's relay would. */
  publishVerification(
    orgId: string,
    data: EmailVerificationRequested,
  ): Promise<EventEnvelope<EmailVerificationRequested>>;
  /** Publishes `invoicing.invoice.send-requested.v1` as invoicing's relay would. */
  publishSendRequest(orgId: string, data: InvoiceSendRequested): Promise<EventEnvelope<InvoiceSendRequested>>;
  /** Publishes `document.rendered.v1` as the document service's relay would. */
  publishRendered(orgId: string, data: DocumentRendered): Promise<EventEnvelope<DocumentRendered>>;
}

/** Starts everything, the worker included. */
export async function startHarness(): Promise<Harness> {
  const harness = await startServiceHarness(service, {
    s3: true,
    smtp: true,
    // Retries in milliseconds; tests run reconciliation passes themselves, so the timer must not race them.
    env: {
      EMAIL_BACKOFF_MS: '100',
      EMAIL_RECONCILE_INTERVAL_MS: '600000',
      APP_URL: 'https://app.example.test/',
    },
  });
  const { s3, smtp } = harness;
  if (!s3 || !smtp) throw new Error('the notification harness runs with S3 and SMTP');
  const storage = new ObjectStorage(s3.options);
  await storage.ensureBucket();
  await harness.startWorkers();
  const close = harness.close;
  return Object.assign(harness, {
    ...inspect({ deps: harness.deps, smtp }),
    s3,
    smtp,
    storage,
    reconciler: emailReconciler(harness.deps),
    publishVerification: (orgId: string, data: EmailVerificationRequested) =>
      harness.publish({
        type: Subjects.EmailVerificationRequested,
        source: 'auth',
        orgId,
        subject: data.userId,
        data,
      }),
    publishSendRequest: (orgId: string, data: InvoiceSendRequested) =>
      harness.publish({
        type: Subjects.InvoiceSendRequested,
        source: 'invoicing',
        orgId,
        subject: data.invoiceId,
        data,
      }),
    publishRendered: (orgId: string, data: DocumentRendered) =>
      harness.publish({
        type: Subjects.DocumentRendered,
        source: 'document',
        orgId,
        subject: data.sourceId,
        data,
      }),
    async close() {
      await close();
      storage.close();
    },
  });
}
