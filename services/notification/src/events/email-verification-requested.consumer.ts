/** `auth.email-verification.requested.v1` → one `verify-email` email to the user. */
import { newId, Subjects, type EmailVerificationRequested } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import { insertEmail } from '../db/emails.repository.ts';
import { idempotencyKey } from '../domain/email.ts';
import { verifyEmailLink } from '../domain/links.ts';
import { renderEmail } from '../templates/index.ts';
import type { VerifyEmailPayload } from '../templates/verify-email.template.ts';
import { recordOnce, type ConsumerDeps } from './record-emails.ts';

const DURABLE = 'notification-email-verification-requested';
const TEMPLATE = 'verify-email';

/** The consumer definition. */
export function emailVerificationRequestedConsumer(
  deps: ConsumerDeps,
): ConsumerDefinition<EmailVerificationRequested> {
  return {
    durable: DURABLE,
    subject: Subjects.EmailVerificationRequested,
    async handle(event, context) {
      const { data } = event;
      const payload: VerifyEmailPayload = {
        name: data.name,
        link: verifyEmailLink(deps.config.PUBLIC_APP_URL, data.token),
        expiresAt: data.expiresAt,
      };
      await recordOnce(deps, DURABLE, event, context, async (em) => {
        const id = newId();
        const status = await insertEmail(em, {
          id,
          orgId: event.orgid,
          idempotencyKey: idempotencyKey(event.id, TEMPLATE, data.email),
          template: TEMPLATE,
          to: [data.email],
          subject: renderEmail(TEMPLATE, payload).subject,
          status: 'queued',
          payload,
        });
        context.logger.info({ emailId: id, created: status !== undefined }, 'verification email recorded');
        return status === 'queued' ? [id] : [];
      });
    },
  };
}
