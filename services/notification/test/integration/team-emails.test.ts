import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  newId,
  Subjects,
  type InvitationCreated,
  type MemberActivated,
  type MemberApprovalRequested,
  type PasswordChanged,
  type SignupExistingAccount,
} from '@invoice/contracts';
import { startHarness, type Harness } from '../support/harness.ts';

describe('team and account-security emails', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  const unique = () => `${newId().slice(-12)}@example.com`;

  it('sends the invitation with its one-time link, escaped, and drops the link from the log once sent', async () => {
    const orgId = newId();
    const data: InvitationCreated = {
      invitationId: newId(),
      organizationId: orgId,
      organizationName: 'Acme <b>GmbH</b>',
      email: unique(),
      role: 'member',
      permissions: ['products_management'],
      invitedBy: { userId: newId(), name: 'Olivia Owner' },
      token: 'invitation-token-0123456789abcdef',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    };
    await h.publish({
      type: Subjects.InvitationCreated,
      source: 'auth',
      orgId,
      subject: data.invitationId,
      data,
    });
    const mail = await h.smtp.waitForMail((m) => m.envelopeTo.includes(data.email));
    assert.equal(mail.parsed.subject, 'Olivia Owner invited you to Acme <b>GmbH</b>');
    const link = `${h.deps.config.APP_URL.replace(/\/+$/, '')}/accept-invitation?token=${data.token}`;
    assert.ok(mail.parsed.text?.includes(link), mail.parsed.text);
    assert.ok(String(mail.parsed.html).includes('Acme &lt;b&gt;GmbH&lt;/b&gt;'));
    const row = await h.rowReaching('sent', () => h.rowsTo(data.email));
    assert.equal(row.payload.link, undefined);
  });

  it('asks every owner and admin for approval, one email each', async () => {
    const orgId = newId();
    const approvers = [
      { name: 'Olivia', email: unique() },
      { name: 'Adam', email: unique() },
    ];
    const member = { userId: newId(), name: 'Milo Member', email: unique() };
    const data: MemberApprovalRequested = {
      organizationId: orgId,
      organizationName: 'Acme',
      member,
      approvers,
    };
    await h.publish({
      type: Subjects.MemberApprovalRequested,
      source: 'auth',
      orgId,
      subject: member.userId,
      data,
    });
    for (const approver of approvers) {
      const mail = await h.smtp.waitForMail((m) => m.envelopeTo.includes(approver.email));
      assert.equal(mail.parsed.subject, 'Milo Member wants to join Acme');
      assert.ok(mail.parsed.text?.includes(member.email));
      assert.deepEqual(mail.envelopeTo, [approver.email]);
    }
  });

  it('sends the activation, password-changed and existing-account notices', async () => {
    const orgId = newId();
    const activated: MemberActivated = {
      organizationId: orgId,
      organizationName: 'Acme',
      userId: newId(),
      name: 'Milo',
      email: unique(),
      approvedBy: newId(),
    };
    const changed: PasswordChanged = {
      userId: newId(),
      name: 'Pat',
      email: unique(),
      changedAt: new Date().toISOString(),
      via: 'reset',
    };
    const existing: SignupExistingAccount = { userId: newId(), name: 'Eve', email: unique() };
    await h.publish({
      type: Subjects.MemberActivated,
      source: 'auth',
      orgId,
      subject: activated.userId,
      data: activated,
    });
    await h.publish({
      type: Subjects.PasswordChanged,
      source: 'auth',
      orgId,
      subject: changed.userId,
      data: changed,
    });
    await h.publish({
      type: Subjects.SignupExistingAccount,
      source: 'auth',
      orgId,
      subject: existing.userId,
      data: existing,
    });
    const subjects = await Promise.all(
      [activated.email, changed.email, existing.email].map(async (email) =>
        String((await h.smtp.waitForMail((m) => m.envelopeTo.includes(email))).parsed.subject),
      ),
    );
    assert.deepEqual(subjects, [
      'You can now work in Acme',
      'Your password was changed',
      'Someone tried to sign up with your email address',
    ]);
  });
});
