/** `password-reset`: the link that lets a user choose a new password. */
import { renderOneTimeLink, type OneTimeLinkPayload } from './one-time-link.ts';
import type { RenderedEmail } from './types.ts';

/** Renders subject, text and HTML. */
export function renderPasswordReset(payload: OneTimeLinkPayload): RenderedEmail {
  return renderOneTimeLink(
    {
      subject: 'Reset your password',
      intro: 'Someone asked to reset the password of your account. To choose a new password, open this link:',
      action: 'Choose a new password',
      ignoreNote: 'If you did not ask for this, ignore this email; your password stays the same.',
    },
    payload,
  );
}
