/** Reads the service's tables, its queue, its consumers and the sink's mailbox from tests. */
import { streamFor } from '@invoice/contracts';
import { waitFor } from '@invoice/platform-testing';
import type { Harness } from './harness.ts';

/** An `emails` row as stored. */
export interface EmailRowView {
  id: string;
  status: string;
  attempts: number;
  to: string[];
  last_error: string | null;
  provider_message_id: string | null;
  payload: Record<string, unknown>;
  sent_at: Date | null;
}

/** Query helpers bound to one harness. */
export function inspect(h: Harness) {
  const rows = (where: string, params: unknown[]) =>
    h.deps.orm.em.fork().execute<EmailRowView[]>(`select * from notification.emails where ${where}`, params);
  return {
    rows,
    rowsTo: (address: string) => rows(`? = any("to")`, [address]),
    rowsOfInvoice: (invoiceId: string) => rows('invoice_id = ?', [invoiceId]),
    mailsTo: (address: string) => h.smtp.mails.filter((mail) => mail.envelopeTo.includes(address)),
    /** Resolves once the durable consumer of `subject` acknowledged every stream message up to `seq`. */
    async consumerAcked(subject: string, durable: string, seq: number): Promise<void> {
      const { bus } = h.deps;
      const stream = bus.streamName(streamFor(subject));
      await waitFor(
        async () =>
          (await bus.jsm.consumers.info(stream, bus.durableName(durable))).ack_floor.stream_seq >= seq,
        { what: `${durable} to acknowledge message ${seq}` },
      );
    },
    /** Resolves with the final state of the email's job once the worker is done with it. */
    jobFinished: (emailId: string) =>
      waitFor(
        async () => {
          const state = await (await h.deps.queue.getJob(emailId))?.getState();
          return state === 'completed' || state === 'failed' ? state : undefined;
        },
        { what: `the job of ${emailId} to finish` },
      ),
  };
}
