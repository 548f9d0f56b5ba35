/** `auth.password-reset.requested.v1` → one `password-reset` email to the user. */
import { Subjects, type PasswordResetRequested } from '@invoice/contracts';
import { openToken, type ConsumerDefinition } from '@invoice/platform-bus';
import { resetPasswordLink } from '../domain/links.ts';
import { recordOneTimeLinkEmail } from './one-time-link-email.ts';
import type { ConsumerDeps } from './record-emails.ts';

const DURABLE = 'notification-password-reset-requested';

/** The consumer definition. */
export function passwordResetRequestedConsumer(
  deps: ConsumerDeps,
): ConsumerDefinition<PasswordResetRequested> {
  return {
    durable: DURABLE,
    subject: Subjects.PasswordResetRequested,
    handle: (event, context) =>
      recordOneTimeLinkEmail(
        deps,
        {
          consumer: DURABLE,
          template: 'password-reset',
          link: resetPasswordLink(
            deps.config.APP_URL,
            openToken(event.data.token, deps.config.BUS_TOKEN_KEY),
          ),
        },
        event,
        context,
      ),
  };
}
