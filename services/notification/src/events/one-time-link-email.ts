/** Shared by the auth request consumers: one email with a one-time link to the user. */
import { newId, type EmailVerificationRequested, type EventEnvelope } from '@invoice/contracts';
import type { ConsumerContext } from '@invoice/platform-bus';
import { insertEmail } from '../db/emails.repository.ts';
import { idempotencyKey } from '../domain/email.ts';
import { initialStatus, needsJob } from '../domain/email-status.ts';
import { emailSubject } from '../templates/index.ts';
import type { OneTimeLinkPayload } from '../templates/one-time-link.ts';
import { recordOnce, type ConsumerDeps } from './record-emails.ts';

/** Records the email (queued) once per event and enqueues it. */
export async function recordOneTimeLinkEmail(
  deps: ConsumerDeps,
  input: { consumer: string; template: 'verify-email' | 'password-reset'; link: string },
  event: EventEnvelope<EmailVerificationRequested>,
  context: ConsumerContext,
): Promise<void> {
  const { data } = event;
  const payload: OneTimeLinkPayload = { name: data.name, link: input.link, expiresAt: data.expiresAt };
  await recordOnce(deps, input.consumer, event, context, async (em) => {
    const id = newId();
    const status = await insertEmail(em, {
      id,
      orgId: event.orgid,
      idempotencyKey: idempotencyKey(event.id, input.template, data.email),
      template: input.template,
      to: [data.email],
      subject: emailSubject(input.template, payload),
      status: initialStatus({ waitsForDocument: false }),
      payload,
    });
    context.logger.info(
      { emailId: id, template: input.template, created: status !== undefined },
      'email recorded',
    );
    return status && needsJob(status) ? [id] : [];
  });
}
