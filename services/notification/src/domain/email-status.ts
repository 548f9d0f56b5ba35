/**
 * The email lifecycle as guarded transitions:
 *
 *   waiting_for_document ─▶ queued ─▶ sending ─▶ sent
 *            │                 │  ▲       │
 *            └──────▶ failed ◀─┘  └───────┘ (transient error: back to queued)
 *
 * An invoice email waits until its PDF is known; a worker takes a queued email for one attempt
 * (`sending`, also re-taking one a crashed worker left in `sending`), and ends it `sent` or `failed`,
 * or puts it back to `queued` to retry. `sent` and `failed` are final. Every state change in the
 * repository is one of the named changes below, each checked against the table.
 */
import type { EmailStatus } from '@invoice/contracts';

const TRANSITIONS: Readonly<Record<EmailStatus, readonly EmailStatus[]>> = {
  waiting_for_document: ['queued', 'failed'],
  queued: ['sending', 'failed'],
  sending: ['sending', 'queued', 'sent', 'failed'],
  sent: [],
  failed: [],
};

/** Emails that must have a send job (what the after-commit enqueue and the reconciler add). */
export const PENDING_STATES: readonly EmailStatus[] = ['queued'];

/** Emails a worker holds for an attempt; one left there too long was abandoned and needs a job again. */
export const IN_FLIGHT_STATES: readonly EmailStatus[] = ['sending'];

/** Invoice emails whose PDF is not known yet: no job until it is. */
export const WAITING_STATES: readonly EmailStatus[] = ['waiting_for_document'];

/** Emails whose outcome is settled: never sent (again). */
export const FINAL_STATES: readonly EmailStatus[] = ['sent', 'failed'];

/** True when `from → to` is an allowed transition. */
export function canTransition(from: EmailStatus, to: EmailStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** A named status change: the statuses a row may be in for it to apply, and the one it ends in. */
export interface EmailStatusChange {
  readonly from: readonly EmailStatus[];
  readonly to: EmailStatus;
}

function change(from: readonly EmailStatus[], to: EmailStatus): EmailStatusChange {
  const illegal = from.find((status) => !canTransition(status, to));
  if (illegal) throw new Error(`email status ${illegal} → ${to} is not in the lifecycle`);
  return { from, to };
}

/** The PDF of a waiting invoice email is known: it can be sent. */
export const DOCUMENT_ARRIVED = change(WAITING_STATES, 'queued');

/** The PDF of a waiting invoice email can never be rendered. */
export const DOCUMENT_FAILED = change(WAITING_STATES, 'failed');

/** A worker takes the email for one attempt (a queued one, or one a crashed worker left in `sending`). */
export const CLAIMED = change([...PENDING_STATES, ...IN_FLIGHT_STATES], 'sending');

/** SMTP accepted the message. */
export const DELIVERED = change(IN_FLIGHT_STATES, 'sent');

/** A transient failure: back in the queue for the next attempt. */
export const RELEASED = change(IN_FLIGHT_STATES, 'queued');

/** A permanent failure, or the last attempt failed. */
export const GAVE_UP = change([...PENDING_STATES, ...IN_FLIGHT_STATES], 'failed');

/** The statuses a new email may start in. */
export type InitialEmailStatus = Extract<EmailStatus, 'waiting_for_document' | 'queued'>;

/** A new email is queued at once unless it attaches a document that is not known yet. */
export function initialStatus(email: { waitsForDocument: boolean }): InitialEmailStatus {
  return email.waitsForDocument ? 'waiting_for_document' : 'queued';
}

/** True when an email in this status must have a send job. */
export function needsJob(status: EmailStatus): boolean {
  return PENDING_STATES.includes(status);
}
