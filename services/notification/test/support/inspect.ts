/** Reads the service's tables and the sink's mailbox from tests. */
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
    mailsTo: (address: string) => h.sink.mails.filter((mail) => mail.envelopeTo.includes(address)),
  };
}

/** Waits a fixed time (to show that something does NOT happen). */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
