/** `password-reset`: the link that lets a user choose a new password. */
import { renderOneTimeLink, type OneTimeLinkCopy, type OneTimeLinkPayload } from './one-time-link.ts';
import type { RenderedEmail } from './types.ts';

/** The wording (its subject is all a consumer needs when it records the email). */
export const PASSWORD_RESET_COPY: OneTimeLinkCopy = {
  subject: 'Reset your password',
  intro: 'Someone asked to reset the password of your account. To choose a new password, open this link:',
  action: 'Choose a new password',
  ignoreNote: 'If you did not ask for this, ignore this email; your password stays the same.',
};

/** Renders subject, text and HTML. */
export function renderPasswordReset(payload: OneTimeLinkPayload): RenderedEmail {
  return renderOneTimeLink(PASSWORD_RESET_COPY, payload);
}
