/**
 * Consumers of the team and account-security events of auth: invitation, approval request (one
 * email per owner/admin), activation, password changed, and the note to an address's owner when
 * someone signs up with it. Same guarantees as the other account emails: the inbox row and the
 * email rows commit together (once per event), then the queued emails get their jobs.
 */
import {
  newId,
  Subjects,
  type EventEnvelope,
  type InvitationCreated,
  type MemberActivated,
  type MemberApprovalRequested,
  type PasswordChanged,
  type SignupExistingAccount,
} from '@invoice/contracts';
import { openToken, type ConsumerContext, type ConsumerDefinition } from '@invoice/platform-bus';
import { insertEmail } from '../db/emails.repository.ts';
import { idempotencyKey } from '../domain/email.ts';
import { initialStatus, needsJob } from '../domain/email-status.ts';
import { appLink } from '../domain/links.ts';
import { emailSubject, type TemplateName } from '../templates/index.ts';
import { recordOnce, type ConsumerDeps } from './record-emails.ts';

/** A plain page of the web app (no token). */
const page = (base: string, path: string) => `${base.replace(/\/+$/, '')}/${path}`;

interface Outgoing {
  to: string;
  payload: Record<string, unknown>;
}

/** Records one email per recipient (once per event) and enqueues them. */
async function record(
  deps: ConsumerDeps,
  consumer: string,
  template: TemplateName,
  event: EventEnvelope,
  context: ConsumerContext,
  outgoing: Outgoing[],
): Promise<void> {
  await recordOnce(deps, consumer, event, context, async (em) => {
    const queued: string[] = [];
    for (const email of outgoing) {
      const id = newId();
      const status = await insertEmail(em, {
        id,
        orgId: event.orgid,
        idempotencyKey: idempotencyKey(event.id, template, email.to),
        template,
        to: [email.to],
        subject: emailSubject(template, email.payload),
        status: initialStatus({ waitsForDocument: false }),
        payload: email.payload,
      });
      context.logger.info({ emailId: id, template, created: status !== undefined }, 'email recorded');
      if (status && needsJob(status)) queued.push(id);
    }
    return queued;
  });
}

/** Every consumer of this file. */
export function teamEmailConsumers(deps: ConsumerDeps): ConsumerDefinition[] {
  const base = deps.config.APP_URL;
  const invitation: ConsumerDefinition<InvitationCreated> = {
    durable: 'notification-invitation-created',
    subject: Subjects.InvitationCreated,
    handle: (event, context) =>
      record(deps, 'notification-invitation-created', 'invitation', event, context, [
        {
          to: event.data.email,
          payload: {
            organizationName: event.data.organizationName,
            inviterName: event.data.invitedBy.name,
            role: event.data.role,
            link: appLink(base, 'accept-invitation', openToken(event.data.token, deps.config.BUS_TOKEN_KEY)),
            expiresAt: event.data.expiresAt,
          },
        },
      ]),
  };
  const approval: ConsumerDefinition<MemberApprovalRequested> = {
    durable: 'notification-member-approval-requested',
    subject: Subjects.MemberApprovalRequested,
    handle: (event, context) =>
      record(
        deps,
        'notification-member-approval-requested',
        'member-approval-request',
        event,
        context,
        event.data.approvers.map((approver) => ({
          to: approver.email,
          payload: {
            organizationName: event.data.organizationName,
            memberName: event.data.member.name,
            memberEmail: event.data.member.email,
            link: page(base, 'members'),
          },
        })),
      ),
  };
  const activated: ConsumerDefinition<MemberActivated> = {
    durable: 'notification-member-activated',
    subject: Subjects.MemberActivated,
    handle: (event, context) =>
      record(deps, 'notification-member-activated', 'member-activated', event, context, [
        {
          to: event.data.email,
          payload: {
            name: event.data.name,
            organizationName: event.data.organizationName,
            link: page(base, 'login'),
          },
        },
      ]),
  };
  const passwordChanged: ConsumerDefinition<PasswordChanged> = {
    durable: 'notification-password-changed',
    subject: Subjects.PasswordChanged,
    handle: (event, context) =>
      record(deps, 'notification-password-changed', 'password-changed', event, context, [
        {
          to: event.data.email,
          payload: {
            name: event.data.name,
            changedAt: event.data.changedAt,
            link: page(base, 'forgot-password'),
          },
        },
      ]),
  };
  const existing: ConsumerDefinition<SignupExistingAccount> = {
    durable: 'notification-signup-existing-account',
    subject: Subjects.SignupExistingAccount,
    handle: (event, context) =>
      record(deps, 'notification-signup-existing-account', 'signup-existing-account', event, context, [
        {
          to: event.data.email,
          payload: {
            name: event.data.name,
            loginLink: page(base, 'login'),
            resetLink: page(base, 'forgot-password'),
          },
        },
      ]),
  };
  return [invitation, approval, activated, passwordChanged, existing] as ConsumerDefinition[];
}
