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
