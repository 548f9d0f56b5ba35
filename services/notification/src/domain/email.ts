/** Rules of the email log: idempotency keys, status sets, SMTP error classes, message headers. */
import type { EmailStatus } from '@invoice/contracts';

export type { EmailStatus };

/**
 * One key per (event, template, recipient): unique in the log, so a redelivered event inserts
 * nothing. Emails that go to all recipients at once use `all`.
 */
export function idempotencyKey(eventId: string, template: string, recipient?: string): string {
  return `${eventId}:${template}:${recipient?.toLowerCase() ?? 'all'}`;
}

/** How a failed SMTP attempt is treated: 5xx is a permanent answer, anything else may pass later. */
export type FailureKind = 'permanent' | 'transient';

/**
 * Classifies a nodemailer error. SMTP 5xx replies (RFC 5321 §4.2.1) are permanent; 4xx replies,
 * refused or dropped connections and timeouts are transient.
 */
export function classifySmtpError(error: unknown): FailureKind {
  const code = (error as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600 ? 'permanent' : 'transient';
}

const MAX_ERROR_LENGTH = 500;

/** A short, single-line description of an error for `last_error` and events. */
export function errorSummary(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, MAX_ERROR_LENGTH) || 'unknown error';
}

/**
 * The Message-ID of an email, derived from its id so every retry carries the same one and the
 * receiving side (or a human reading logs) can tell a resend from a new email.
 */
export function messageIdFor(emailId: string, mailFrom: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(mailFrom)?.[1] ?? 'invoice.local';
  return `<${emailId}@${domain}>`;
}

/** The PDF attachment's file name: the document number, without characters that break paths. */
export function attachmentFilename(documentNumber: string): string {
  const safe = documentNumber.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-').trim();
  return `${safe || 'document'}.pdf`;
}

/** The SMTP server's queue id from its final reply ("250 OK: queued as 4F2A…"), when it names one. */
export function providerMessageId(response: string | undefined, fallback: string): string {
  const queued = response ? /queued as\s+([^\s]+)/i.exec(response)?.[1] : undefined;
  return queued ?? fallback;
}
