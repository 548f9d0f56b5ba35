/** `verify-email`: the link that confirms a new user's email address. */
import { renderOneTimeLink, type OneTimeLinkCopy, type OneTimeLinkPayload } from './one-time-link.ts';
import type { RenderedEmail } from './types.ts';

/** The wording (its subject is all a consumer needs when it records the email). */
export const VERIFY_EMAIL_COPY: OneTimeLinkCopy = {
  subject: 'Confirm your email address',
  intro: 'Please confirm your email address by opening this link:',
  action: 'Confirm email address',
  ignoreNote: 'If you did not sign up, you can ignore this email.',
};

/** Renders subject, text and HTML. */
export function renderVerifyEmail(payload: OneTimeLinkPayload): RenderedEmail {
  return renderOneTimeLink(VERIFY_EMAIL_COPY, payload);
}
