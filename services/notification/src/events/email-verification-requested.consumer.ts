/** `auth.email-verification.requested.v1` → one `verify-email` email to the user. */
import { Subjects, type EmailVerificationRequested } from '@invoice/contracts';
import { openToken, type ConsumerDefinition } from '@invoice/platform-bus';
import { verifyEmailLink } from '../domain/links.ts';
import { recordOneTimeLinkEmail } from './one-time-link-email.ts';
import type { ConsumerDeps } from './record-emails.ts';

const DURABLE = 'notification-email-verification-requested';

/** The consumer definition. */
export function emailVerificationRequestedConsumer(
  deps: ConsumerDeps,
): ConsumerDefinition<EmailVerificationRequested> {
  return {
    durable: DURABLE,
    subject: Subjects.EmailVerificationRequested,
    handle: (event, context) =>
      recordOneTimeLinkEmail(
        deps,
        {
          consumer: DURABLE,
          template: 'verify-email',
          link: verifyEmailLink(deps.config.APP_URL, openToken(event.data.token, deps.config.BUS_TOKEN_KEY)),
        },
        event,
        context,
      ),
  };
}
