/** Reads the service's tables, its streams, its queue, its consumers and the sink's mailbox from tests. */
import { newId, streamFor } from '@invoice/contracts';
import { readStreamEvents, waitFor, type SmtpSink } from '@invoice/platform-testing';
import type { Deps } from '../../src/deps.ts';

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

/** Query helpers bound to one running service (the harness carries them). */
export function inspect({ deps, smtp }: { deps: Deps; smtp: SmtpSink }) {
  const rows = (where: string, params: unknown[]) =>
    deps.orm.em.fork().execute<EmailRowView[]>(`select * from notification.emails where ${where}`, params);
  return {
    rows,
    rowsTo: (address: string) => rows(`? = any("to")`, [address]),
    rowsOfInvoice: (invoiceId: string) => rows('invoice_id = ?', [invoiceId]),
    /** Resolves with the first of the rows `find` reads once it has reached `status`. */
    rowReaching: (
      status: string,
      find: () => Promise<EmailRowView[]>,
      options: { timeoutMs?: number } = {},
    ) =>
      waitFor(
        async () => {
          const [row] = await find();
          return row?.status === status ? row : undefined;
        },
        { what: `an email to reach ${status}`, ...options },
      ),
    mailsTo: (address: string) => smtp.mails.filter((mail) => mail.envelopeTo.includes(address)),
    /** Resolves with the events of `type` about the email, oldest first, once there is one. */
    eventsAbout: <T extends { emailId: string }>(type: string, emailId: string) =>
      waitFor(
        async () => {
          const events = await readStreamEvents<T>(deps.bus, type);
          const about = events.filter((event) => event.data.emailId === emailId);
          return about.length > 0 ? about : undefined;
        },
        { what: `${type} of ${emailId}` },
      ),
    /** Resolves once the durable consumer of `subject` acknowledged every stream message up to `seq`. */
    async consumerAcked(subject: string, durable: string, seq: number): Promise<void> {
      const { bus } = deps;
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
          const state = await (await deps.queue.getJob(emailId))?.getState();
          return state === 'completed' || state === 'failed' ? state : undefined;
        },
        { what: `the job of ${emailId} to finish` },
      ),
    /**
     * Stores a verification email straight into the table, with no job behind it (as a lost job or
     * a crashed worker leaves one), last touched `minutesAgo`.
     */
    insertVerificationEmail: (email: {
      id: string;
      to: string;
      status: 'queued' | 'sending';
      attempts?: number;
      minutesAgo?: number;
    }) =>
      deps.orm.em.fork().execute(
        `insert into notification.emails
           (id, org_id, idempotency_key, template, "to", subject, status, attempts, payload, updated_at)
         values (?, ?, ?, 'verify-email', array[?]::text[], 'Confirm your email address', ?, ?, ?::jsonb,
                 now() - (? * interval '1 minute'))`,
        [
          email.id,
          newId(),
          `${email.id}:verify-email:${email.to}`,
          email.to,
          email.status,
          email.attempts ?? 0,
          JSON.stringify({
            name: 'Ann Example',
            link: `http://127.0.0.1:8080/verify-email?token=${email.id}`,
            expiresAt: new Date().toISOString(),
          }),
          email.minutesAgo ?? 0,
        ],
      ),
  };
}

/** What {@link inspect} gives a harness. */
export type Inspector = ReturnType<typeof inspect>;
