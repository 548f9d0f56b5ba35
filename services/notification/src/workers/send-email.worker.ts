/**
 * Sends one email per job: claim the row (`sending`), render, attach the PDF, hand it to SMTP,
 * then commit `sent` with its event. SMTP 5xx ends the email (`failed`, no retry); 4xx and
 * connection errors throw so BullMQ retries with backoff. On the job's last attempt a transient
 * error also ends the email as `failed`, committed here BEFORE the job fails: a final status is never
 * left to an event listener, so the reconciler cannot mistake it for a lost job and start over.
 * The one duplicate window: SMTP accepted the message and the process died before the commit.
 */
import type { SendMailOptions } from 'nodemailer';
import { inTransaction, type MikroORM } from '@invoice/platform-db';
import type { Logger } from '@invoice/platform-logger';
import { UnrecoverableError, type Job } from '@invoice/platform-queue';
import type { Config } from '../config.ts';
import { findDocument } from '../db/documents.repository.ts';
import { claimForSending, releaseForRetry, type EmailRow } from '../db/emails.repository.ts';
import {
  attachmentFilename,
  classifySmtpError,
  errorSummary,
  messageIdFor,
  providerMessageId,
} from '../domain/email.ts';
import { renderEmail, templateFor, TemplateError } from '../templates/index.ts';
import type { DocumentStore } from './document-store.ts';
import { recordDelivered, recordFailed } from './email-outcome.ts';
import type { SendEmailJobData } from './email-queue.ts';
import type { Mailer } from './mailer.ts';

const DELIVERY_COMMIT_ATTEMPTS = 5;

/** What the worker needs. */
export interface SendEmailDeps {
  config: Pick<Config, 'MAIL_FROM'>;
  logger: Logger;
  orm: MikroORM;
  mailer: Mailer;
  documents: DocumentStore;
}

/** The BullMQ processor of `notification-email`. */
export function sendEmailProcessor(deps: SendEmailDeps) {
  return async (job: Job<SendEmailJobData>): Promise<void> => {
    const { emailId } = job.data;
    const log = deps.logger.child({ emailId, jobId: job.id, attempt: job.attemptsMade + 1 });
    // One conditional UPDATE … RETURNING: it commits on its own, no BEGIN/COMMIT round trips.
    const email = await claimForSending(deps.orm.em.fork(), emailId);
    if (!email) {
      log.info('email has nothing left to send');
      return;
    }
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const message = await composeOrFail(deps, email, lastAttempt, log);
    let response: { messageId: string; response: string };
    try {
      response = await deps.mailer.sendMail(message);
    } catch (error) {
      if (classifySmtpError(error) === 'permanent') {
        return failEmail(deps, email, error, () =>
          log.warn({ responseCode: smtpCode(error) }, 'email rejected permanently; failed'),
        );
      }
      return retryOrFail(deps, email, error, lastAttempt, log);
    }
    const providerId = providerMessageId(response.response, response.messageId);
    await recordDeliveredPatiently(deps, email, providerId, log);
    log.info({ template: email.template, attempts: email.attempts }, 'email delivered');
  };
}

/**
 * SMTP already accepted the message: if this commit fails, the job's retry sends it again (the one
 * duplicate window). A brief database hiccup should not open it, so the commit is retried first.
 */
async function recordDeliveredPatiently(
  deps: SendEmailDeps,
  email: EmailRow,
  providerId: string,
  log: Logger,
) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await recordDelivered(deps.orm, email, providerId);
      return;
    } catch (error) {
      if (attempt >= DELIVERY_COMMIT_ATTEMPTS) throw error;
      log.warn({ err: error, attempt }, 'could not record a delivered email; retrying');
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

async function composeOrFail(
  deps: SendEmailDeps,
  email: EmailRow,
  lastAttempt: boolean,
  log: Logger,
): Promise<SendMailOptions> {
  try {
    return await compose(deps, email);
  } catch (error) {
    if (error instanceof TemplateError) {
      return failEmail(deps, email, error, (reason) =>
        log.error({ reason }, 'email cannot be rendered; failed'),
      );
    }
    return retryOrFail(deps, email, error, lastAttempt, log);
  }
}

/** Builds the message: rendered template, stable Message-ID, and the PDF for invoice emails. */
async function compose(deps: SendEmailDeps, email: EmailRow): Promise<SendMailOptions> {
  const rendered = renderEmail(email.template, email.payload);
  const attachments = templateFor(email.template).attachesDocument ? [await loadAttachment(deps, email)] : [];
  return {
    from: deps.config.MAIL_FROM,
    to: email.to,
    subject: email.subject,
    text: rendered.text,
    html: rendered.html,
    messageId: messageIdFor(email.id, deps.config.MAIL_FROM),
    headers: { 'Auto-Submitted': 'auto-generated' },
    attachments,
  };
}

async function loadAttachment(deps: SendEmailDeps, email: EmailRow) {
  if (!email.invoice_id || !email.document_version)
    throw new TemplateError('invoice email without a document');
  const document = await findDocument(
    deps.orm.em.fork(),
    email.org_id,
    email.invoice_id,
    email.document_version,
  );
  // Emails are queued only once their document is known, so a missing row is an anomaly: retry.
  if (!document) throw new Error('document of the invoice email is not known');
  const content = await deps.documents.read(document);
  return { filename: attachmentFilename(document.number), content, contentType: 'application/pdf' };
}

/**
 * A transient error: the row goes back to `queued` and the error is rethrown for BullMQ's backoff,
 * or, on the last attempt, the email ends as `failed` (with `email.failed`) before the job does.
 */
async function retryOrFail(
  deps: SendEmailDeps,
  email: EmailRow,
  error: unknown,
  lastAttempt: boolean,
  log: Logger,
): Promise<never> {
  const context = { responseCode: smtpCode(error), code: (error as { code?: string }).code };
  if (lastAttempt) {
    return failEmail(deps, email, error, () =>
      log.warn({ ...context, attempts: email.attempts }, 'email retries exhausted; failed'),
    );
  }
  const reason = errorSummary(error);
  await inTransaction(deps.orm, (em) => releaseForRetry(em, email.id, reason));
  log.warn(context, 'email not sent yet; will retry');
  throw error;
}

/**
 * Ends the email as `failed` (committing `email.failed`), says why through `report`, and fails the
 * job for good: BullMQ does not retry an UnrecoverableError.
 */
async function failEmail(
  deps: SendEmailDeps,
  email: EmailRow,
  error: unknown,
  report: (reason: string) => void,
): Promise<never> {
  const reason = errorSummary(error);
  await recordFailed(deps.orm, email.id, reason);
  report(reason);
  throw new UnrecoverableError(reason);
}

function smtpCode(error: unknown): number | undefined {
  return (error as { responseCode?: number }).responseCode;
}
