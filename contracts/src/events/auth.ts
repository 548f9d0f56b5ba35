/** Events published by the auth service. */
import { Type, type Static } from 'typebox';
import { AddressSchema, CurrencyCodeSchema, EmailSchema, IdSchema } from '../primitives.ts';

/** A user signed up (organization owner) or joined. */
export const UserRegisteredSchema = Type.Object({
  userId: IdSchema,
  organizationId: IdSchema,
  email: EmailSchema,
  name: Type.String(),
});
export type UserRegistered = Static<typeof UserRegisteredSchema>;

/**
 * A verification email must be sent. Carries the one-time token (only its hash is stored by auth);
 * the AUTH stream keeps messages for a limited time.
 */
export const EmailVerificationRequestedSchema = Type.Object({
  userId: IdSchema,
  email: EmailSchema,
  name: Type.String(),
  token: Type.String({ minLength: 20 }),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type EmailVerificationRequested = Static<typeof EmailVerificationRequestedSchema>;

/** A password reset email must be sent. */
export const PasswordResetRequestedSchema = EmailVerificationRequestedSchema;
export type PasswordResetRequested = Static<typeof PasswordResetRequestedSchema>;

/** The organization (seller) as other services replicate it. */
export const OrganizationSchema = Type.Object({
  id: IdSchema,
  name: Type.String(),
  legalName: Type.Optional(Type.String()),
  taxId: Type.Optional(Type.String()),
  companyNumber: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  phone: Type.Optional(Type.String()),
  address: Type.Optional(Type.Partial(AddressSchema)),
  bankAccount: Type.Optional(
    Type.Object({
      iban: Type.Optional(Type.String()),
      bic: Type.Optional(Type.String()),
      bankName: Type.Optional(Type.String()),
    }),
  ),
  defaultCurrency: Type.Optional(CurrencyCodeSchema),
  version: Type.Integer({
    minimum: 1,
    description: 'Increases with every change; replicas keep the highest',
  }),
});
export type Organization = Static<typeof OrganizationSchema>;

/** The organization was created or changed; carries its full state. */
export const OrganizationUpdatedSchema = Type.Object({ organization: OrganizationSchema });
export type OrganizationUpdated = Static<typeof OrganizationUpdatedSchema>;

/** The status of a membership: pending until approved, deactivated when removed. */
export const MembershipStatusSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('pending'),
  Type.Literal('deactivated'),
]);
export type MembershipStatus = Static<typeof MembershipStatusSchema>;

/**
 * A membership was created or changed (role, permissions, status), or its holder's sessions were
 * ended (password reset, logout everywhere). `version` increases with each; every service rejects an
 * access token whose `mv` claim is lower, so the change applies to the very next request.
 */
export const MembershipChangedSchema = Type.Object({
  organizationId: IdSchema,
  userId: IdSchema,
  version: Type.Integer({ minimum: 1 }),
  role: Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member')]),
  permissions: Type.Array(Type.String()),
  status: MembershipStatusSchema,
  reason: Type.String({
    description: 'What changed it: created, updated, approved, deactivated, sessions-revoked',
  }),
});
export type MembershipChanged = Static<typeof MembershipChangedSchema>;

/** Someone was invited; carries the one-time token for the invitation email (auth stores its hash). */
export const InvitationCreatedSchema = Type.Object({
  invitationId: IdSchema,
  organizationId: IdSchema,
  organizationName: Type.String(),
  email: EmailSchema,
  role: Type.String(),
  permissions: Type.Array(Type.String()),
  invitedBy: Type.Object({ userId: IdSchema, name: Type.String() }),
  token: Type.String({ minLength: 20 }),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type InvitationCreated = Static<typeof InvitationCreatedSchema>;

/** An invitation was revoked by an admin. */
export const InvitationRevokedSchema = Type.Object({
  invitationId: IdSchema,
  organizationId: IdSchema,
  email: EmailSchema,
  revokedBy: IdSchema,
});
export type InvitationRevoked = Static<typeof InvitationRevokedSchema>;

/** An invitation was accepted: the user now has a (possibly pending) membership. */
export const InvitationAcceptedSchema = Type.Object({
  invitationId: IdSchema,
  organizationId: IdSchema,
  userId: IdSchema,
  email: EmailSchema,
  status: MembershipStatusSchema,
});
export type InvitationAccepted = Static<typeof InvitationAcceptedSchema>;

/** A new member waits for approval; the approvers (owners and admins) are emailed. */
export const MemberApprovalRequestedSchema = Type.Object({
  organizationId: IdSchema,
  organizationName: Type.String(),
  member: Type.Object({ userId: IdSchema, name: Type.String(), email: EmailSchema }),
  approvers: Type.Array(Type.Object({ name: Type.String(), email: EmailSchema })),
});
export type MemberApprovalRequested = Static<typeof MemberApprovalRequestedSchema>;

/** A pending member was approved and may now act; they get an activation email. */
export const MemberActivatedSchema = Type.Object({
  organizationId: IdSchema,
  organizationName: Type.String(),
  userId: IdSchema,
  name: Type.String(),
  email: EmailSchema,
  approvedBy: IdSchema,
});
export type MemberActivated = Static<typeof MemberActivatedSchema>;

/** A user's password was changed (by the user or through a reset); every session was ended. */
export const PasswordChangedSchema = Type.Object({
  userId: IdSchema,
  name: Type.String(),
  email: EmailSchema,
  changedAt: Type.String({ format: 'date-time' }),
  via: Type.Union([Type.Literal('change'), Type.Literal('reset')]),
});
export type PasswordChanged = Static<typeof PasswordChangedSchema>;

/**
 * Someone tried to sign up with an address that already has a verified account: the sign-up answers
 * as usual and the address's owner is told instead (no token: the email points to login and reset).
 */
export const SignupExistingAccountSchema = Type.Object({
  userId: IdSchema,
  name: Type.String(),
  email: EmailSchema,
});
export type SignupExistingAccount = Static<typeof SignupExistingAccountSchema>;

/** An API key was created (never its secret). Its tokens carry the key id as `sub` and `akid`. */
export const ApiKeyCreatedEventSchema = Type.Object({
  apiKeyId: IdSchema,
  organizationId: IdSchema,
  name: Type.String(),
  readOnly: Type.Boolean(),
  permissions: Type.Array(Type.String()),
  createdBy: IdSchema,
});
export type ApiKeyCreatedEvent = Static<typeof ApiKeyCreatedEventSchema>;

/** An API key was revoked (a `membership.changed` for the key makes its tokens stop at once). */
export const ApiKeyRevokedSchema = Type.Object({
  apiKeyId: IdSchema,
  organizationId: IdSchema,
  revokedBy: IdSchema,
});
export type ApiKeyRevoked = Static<typeof ApiKeyRevokedSchema>;

/** The organization's settings changed (e.g. whether new members need approval). */
export const OrganizationSettingsChangedSchema = Type.Object({
  organizationId: IdSchema,
  requireMemberApproval: Type.Boolean(),
  changedBy: IdSchema,
});
export type OrganizationSettingsChanged = Static<typeof OrganizationSettingsChangedSchema>;
