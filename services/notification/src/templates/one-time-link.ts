/** Emails whose point is one secret link (verify an address, reset a password). */
import { Type, type Static } from 'typebox';
import { html } from './html.ts';
import { button, layout } from './layout.ts';
import type { RenderedEmail } from './types.ts';

/** What these templates need (stored in `emails.payload`; `link` is dropped once the email is final). */
export const OneTimeLinkPayloadSchema = Type.Object({
  name: Type.String(),
  link: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type OneTimeLinkPayload = Static<typeof OneTimeLinkPayloadSchema>;

/** The wording of one such email. */
export interface OneTimeLinkCopy {
  subject: string;
  intro: string;
  action: string;
  ignoreNote: string;
}

/** Renders subject, text and HTML; every value is escaped in the HTML. */
export function renderOneTimeLink(copy: OneTimeLinkCopy, payload: OneTimeLinkPayload): RenderedEmail {
  const expires = `${payload.expiresAt.slice(0, 16).replace('T', ' ')} UTC`;
  const validity = `The link is valid until ${expires}. ${copy.ignoreNote}`;
  const text = [`Hello ${payload.name},`, '', copy.intro, payload.link, '', validity].join('\n');
  const body = html`<p>Hello ${payload.name},</p>
    <p>${copy.intro}</p>
    ${button(copy.action, payload.link)}
    <p style="font-size:13px;color:#4a5260">Or paste this link into your browser:<br />${payload.link}</p>
    <p style="font-size:13px;color:#4a5260">${validity}</p>`;
  return { subject: copy.subject, text, html: layout(copy.subject, body) };
}
