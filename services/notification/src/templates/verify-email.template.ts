/** `verify-email`: the link that confirms a new user's email address. */
import { Type, type Static } from 'typebox';
import { html } from './html.ts';
import { button, layout } from './layout.ts';
import type { RenderedEmail } from './types.ts';

/** What the template needs (stored in `emails.payload`). */
export const VerifyEmailPayloadSchema = Type.Object({
  name: Type.String(),
  link: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type VerifyEmailPayload = Static<typeof VerifyEmailPayloadSchema>;

/** Renders subject, text and HTML. */
export function renderVerifyEmail(payload: VerifyEmailPayload): RenderedEmail {
  const subject = 'Confirm your email address';
  const expires = `${payload.expiresAt.slice(0, 16).replace('T', ' ')} UTC`;
  const text = [
    `Hello ${payload.name},`,
    '',
    'Please confirm your email address by opening this link:',
    payload.link,
    '',
    `The link is valid until ${expires}. If you did not sign up, you can ignore this email.`,
  ].join('\n');
  const body = html`<p>Hello ${payload.name},</p>
    <p>Please confirm your email address to finish setting up your account.</p>
    ${button('Confirm email address', payload.link)}
    <p style="font-size:13px;color:#4a5260">Or paste this link into your browser:<br />${payload.link}</p>
    <p style="font-size:13px;color:#4a5260">
      The link is valid until ${expires}. If you did not sign up, you can ignore this email.
    </p>`;
  return { subject, text, html: layout(subject, body) };
}
