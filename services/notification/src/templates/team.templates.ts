/**
 * Emails of teams and account security: invitation, approval request, activation, password changed,
 * and the note to an address's owner when someone tries to sign up with it. Every value is escaped in
 * the HTML; subjects are kept on one line.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { html, oneLine } from './html.ts';
import { button, layout } from './layout.ts';
import type { RenderedEmail } from './types.ts';

/** One notice: a greeting, paragraphs, an optional button, and a closing note. */
interface Notice {
  subject: string;
  greeting: string;
  paragraphs: string[];
  action?: { label: string; link: string };
  note?: string;
}

function renderNotice(notice: Notice): RenderedEmail {
  const subject = oneLine(notice.subject);
  const text = [
    notice.greeting,
    '',
    ...notice.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...(notice.action ? [`${notice.action.label}: ${notice.action.link}`, ''] : []),
    ...(notice.note ? [notice.note] : []),
  ].join('\n');
  const body = html`<p>${notice.greeting}</p>
    ${notice.paragraphs.map((paragraph) => html`<p>${paragraph}</p>`)}
    ${notice.action ? button(notice.action.label, notice.action.link) : ''}
    ${
      notice.action
        ? html`<p style="font-size:13px;color:#4a5260">
            Or paste this link into your browser:<br />${notice.action.link}
          </p>`
        : ''
    }
    ${notice.note ? html`<p style="font-size:13px;color:#4a5260">${notice.note}</p>` : ''}`;
  return { subject, text, html: layout(subject, body) };
}

const until = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export const InvitationPayloadSchema = Type.Object({
  organizationName: Type.String(),
  inviterName: Type.String(),
  role: Type.String(),
  link: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type InvitationPayload = Static<typeof InvitationPayloadSchema>;

export const ApprovalRequestPayloadSchema = Type.Object({
  organizationName: Type.String(),
  memberName: Type.String(),
  memberEmail: Type.String(),
  link: Type.String(),
});
export type ApprovalRequestPayload = Static<typeof ApprovalRequestPayloadSchema>;

export const MemberActivatedPayloadSchema = Type.Object({
  name: Type.String(),
  organizationName: Type.String(),
  link: Type.String(),
});
export type MemberActivatedPayload = Static<typeof MemberActivatedPayloadSchema>;

export const PasswordChangedPayloadSchema = Type.Object({
  name: Type.String(),
  changedAt: Type.String({ format: 'date-time' }),
  link: Type.String(),
});
export type PasswordChangedPayload = Static<typeof PasswordChangedPayloadSchema>;

export const ExistingAccountPayloadSchema = Type.Object({
  name: Type.String(),
  loginLink: Type.String(),
  resetLink: Type.String(),
});
export type ExistingAccountPayload = Static<typeof ExistingAccountPayloadSchema>;

const invitationSubject = (p: InvitationPayload) => `${p.inviterName} invited you to ${p.organizationName}`;
const approvalSubject = (p: ApprovalRequestPayload) => `${p.memberName} wants to join ${p.organizationName}`;
const activatedSubject = (p: MemberActivatedPayload) => `You can now work in ${p.organizationName}`;

/** The templates of this file, as the registry (templates/index.ts) lists them. */
export const TeamTemplates = {
  invitation: {
    schema: InvitationPayloadSchema as TSchema,
    subject: (p: InvitationPayload) => oneLine(invitationSubject(p)),
    render: (p: InvitationPayload) =>
      renderNotice({
        subject: invitationSubject(p),
        greeting: 'Hello,',
        paragraphs: [
          `${p.inviterName} invited you to join ${p.organizationName} on Invoice Platform as ${p.role}.`,
          'Open the link to accept: with a new account you choose your name and password, with an existing one you confirm your password.',
        ],
        action: { label: 'Accept the invitation', link: p.link },
        note: `The link is valid until ${until(p.expiresAt)} and works once. If you did not expect this, ignore this email.`,
      }),
    secretFields: ['link'],
    attachesDocument: false,
  },
  'member-approval-request': {
    schema: ApprovalRequestPayloadSchema as TSchema,
    subject: (p: ApprovalRequestPayload) => oneLine(approvalSubject(p)),
    render: (p: ApprovalRequestPayload) =>
      renderNotice({
        subject: approvalSubject(p),
        greeting: 'Hello,',
        paragraphs: [
          `${p.memberName} (${p.memberEmail}) accepted an invitation to ${p.organizationName} and waits for approval.`,
          'Until an owner or admin approves the membership, they cannot do anything in the organization.',
        ],
        action: { label: 'Review members', link: p.link },
      }),
    secretFields: [],
    attachesDocument: false,
  },
  'member-activated': {
    schema: MemberActivatedPayloadSchema as TSchema,
    subject: (p: MemberActivatedPayload) => oneLine(activatedSubject(p)),
    render: (p: MemberActivatedPayload) =>
      renderNotice({
        subject: activatedSubject(p),
        greeting: `Hello ${p.name},`,
        paragraphs: [
          `Your membership of ${p.organizationName} was approved. You can log in and start working.`,
        ],
        action: { label: 'Log in', link: p.link },
      }),
    secretFields: [],
    attachesDocument: false,
  },
  'password-changed': {
    schema: PasswordChangedPayloadSchema as TSchema,
    subject: () => 'Your password was changed',
    render: (p: PasswordChangedPayload) =>
      renderNotice({
        subject: 'Your password was changed',
        greeting: `Hello ${p.name},`,
        paragraphs: [
          `The password of your account was changed at ${until(p.changedAt)}, and every session was logged out.`,
          'If this was not you, reset your password now and tell your administrator.',
        ],
        action: { label: 'Reset password', link: p.link },
      }),
    secretFields: [],
    attachesDocument: false,
  },
  'signup-existing-account': {
    schema: ExistingAccountPayloadSchema as TSchema,
    subject: () => 'Someone tried to sign up with your email address',
    render: (p: ExistingAccountPayload) =>
      renderNotice({
        subject: 'Someone tried to sign up with your email address',
        greeting: `Hello ${p.name},`,
        paragraphs: [
          'Someone tried to create a new account with your email address, which already has one. No new account was created.',
          'If it was you, log in instead, or reset your password if you forgot it. Otherwise you can ignore this email.',
        ],
        action: { label: 'Log in', link: p.loginLink },
        note: `Forgot your password? ${p.resetLink}`,
      }),
    secretFields: [],
    attachesDocument: false,
  },
} as const;
