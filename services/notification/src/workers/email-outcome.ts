/**
 * The final outcomes of an email, each committed in ONE transaction with its outbox event:
 * `sent` + `notification.email.delivered.v1`, or `failed` + `notification.email.failed.v1`.
 * Both are conditional on the current status, so a second caller changes and publishes nothing.
 */
import { createEnvelope, Subjects, type EmailDelivered, type EmailFailed } from '@invoice/contracts';
import { inTransaction, type MikroORM } from '@invoice/platform-db';
import { enqueueEvent, eventsCommitted, prepareOutboxRow } from '@invoice/platform-outbox';
import { markFailed, markSent, type EmailRow } from '../db/emails.repository.ts';
import { SECRET_FIELDS } from '../templates/index.ts';

const SOURCE = 'notification';

function common(row: EmailRow) {
  return {
    emailId: row.id,
    template: row.template,
    to: row.to,
    ...(row.invoice_id ? { invoiceId: row.invoice_id } : {}),
    // The contract counts attempts from 1; an email that failed before any attempt still had one try.
    attempts: Math.max(1, row.attempts),
  };
}

/**
 * Marks the email sent and records `email.delivered`, in one statement. `row` is the email as the
 * worker claimed it (`sending`); false when it was not `sending` any more.
 */
export async function recordDelivered(
  orm: MikroORM,
  row: EmailRow,
  providerMessageId: string,
): Promise<boolean> {
  const data: EmailDelivered = { ...common(row), providerMessageId };
  const event = createEnvelope({
    type: Subjects.EmailDelivered,
    source: SOURCE,
    orgId: row.org_id,
    subject: row.id,
    data,
  });
  const em = orm.em.fork();
  const changed = await markSent(em, row.id, providerMessageId, SECRET_FIELDS, prepareOutboxRow(event));
  if (changed) eventsCommitted(em);
  return changed;
}

/** The `email.failed` event of a row that just became `failed` (enqueue it in the same transaction). */
export function emailFailedEvent(row: EmailRow, reason: string) {
  const data: EmailFailed = { ...common(row), reason };
  return createEnvelope({
    type: Subjects.EmailFailed,
    source: SOURCE,
    orgId: row.org_id,
    subject: row.id,
    data,
  });
}

/** Marks the email failed and records `email.failed`. False when it was already final. */
export async function recordFailed(orm: MikroORM, emailId: string, reason: string): Promise<boolean> {
  return inTransaction(orm, async (em) => {
    const row = await markFailed(em, emailId, reason, SECRET_FIELDS);
    if (!row) return false;
    await enqueueEvent(em, emailFailedEvent(row, reason));
    return true;
  });
}
