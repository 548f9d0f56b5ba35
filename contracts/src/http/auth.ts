/** Public HTTP schemas of the auth service (sign-up, tokens, the caller, the organization). */
import { Type, type Static, type TSchema } from 'typebox';
import { CountryCodeSchema, CurrencyCodeSchema, EmailSchema, IdSchema } from '../primitives.ts';

/** Every permission a membership can hold; services check them on the server. */
export const PermissionNames = [
  'all_invoices_access',
  'category_management',
  'products_management',
  'admin',
] as const;

/** One permission name. */
export const PermissionSchema = Type.Union([
  Type.Literal('all_invoices_access'),
  Type.Literal('category_management'),
  Type.Literal('products_management'),
  Type.Literal('admin'),
]);
export type Permission = (typeof PermissionNames)[number];

/** The role of a member in an organization (the creator is the `owner`). */
export const RoleSchema = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('member')]);
export type Role = Static<typeof RoleSchema>;

/** A password as sent by the client; the server also enforces its policy (length, character classes). */
export const PasswordSchema = Type.String({
  minLength: 10,
  maxLength: 256,
  description: 'At least 10 characters from at least two classes (lower, upper, digit, other)',
});

/** `POST /v1/auth/signup` body: creates an organization and its owner. */
export const SignupRequestSchema = Type.Object(
  {
    organizationName: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
    name: Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '\\S',
      description: 'Full name of the owner',
    }),
    email: EmailSchema,
    password: PasswordSchema,
  },
  { additionalProperties: false },
);
export type SignupRequest = Static<typeof SignupRequestSchema>;

/** `POST /v1/auth/signup` 201 body. */
export const SignupResponseSchema = Type.Object({
  userId: IdSchema,
  organizationId: IdSchema,
  email: EmailSchema,
  emailVerified: Type.Boolean(),
});
export type SignupResponse = Static<typeof SignupResponseSchema>;

/** `POST /v1/auth/verify-email` body: the one-time token from the verification email. */
export const VerifyEmailRequestSchema = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type VerifyEmailRequest = Static<typeof VerifyEmailRequestSchema>;

/** `POST /v1/auth/verify-email` 200 body. */
export const VerifyEmailResponseSchema = Type.Object({ verified: Type.Literal(true) });

/** `POST /v1/auth/login` body. */
export const LoginRequestSchema = Type.Object(
  {
    email: EmailSchema,
    password: Type.String({ minLength: 1, maxLength: 256 }),
    organizationId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'Which organization to log in to (default: the oldest active membership)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequestSchema>;

/** Tokens returned by login and refresh: a short-lived access JWT and a rotating refresh token. */
export const TokenPairSchema = Type.Object(
  {
    accessToken: Type.String({ description: 'EdDSA JWT (typ at+jwt) for the Authorization: Bearer header' }),
    refreshToken: Type.String({ description: 'Opaque, single use: each refresh returns a new one' }),
    expiresIn: Type.Integer({ description: 'Lifetime of the access token in seconds' }),
    tokenType: Type.Literal('Bearer'),
  },
  { title: 'TokenPair' },
);
export type TokenPair = Static<typeof TokenPairSchema>;

/** `POST /v1/auth/refresh` and `POST /v1/auth/logout` body. */
export const RefreshTokenRequestSchema = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type RefreshTokenRequest = Static<typeof RefreshTokenRequestSchema>;

/** `GET /v1/auth/me` 200 body. */
export const MeResponseSchema = Type.Object({
  user: Type.Object({ id: IdSchema, email: EmailSchema, name: Type.String(), emailVerified: Type.Boolean() }),
  organization: Type.Object({ id: IdSchema, name: Type.String() }),
  role: RoleSchema,
  permissions: Type.Array(PermissionSchema),
});
export type MeResponse = Static<typeof MeResponseSchema>;

/** One public key of `GET /.well-known/jwks.json` (RFC 7517; Ed25519 as OKP). */
export const PublicJwkSchema = Type.Object({
  kty: Type.Literal('OKP'),
  crv: Type.Literal('Ed25519'),
  x: Type.String(),
  kid: Type.String(),
  alg: Type.Literal('EdDSA'),
  use: Type.Literal('sig'),
});

/** `GET /.well-known/jwks.json` 200 body: the active key and recently retired ones. */
export const JwksResponseSchema = Type.Object({ keys: Type.Array(PublicJwkSchema) });
export type JwksResponse = Static<typeof JwksResponseSchema>;

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** A non-blank string. */
const text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });
/** An object whose fields are all optional and unknown fields are rejected (no mass assignment). */
const patchOf = <T extends Record<string, TSchema>>(
  properties: T,
  options: { minProperties?: number } = {},
) => Type.Partial(Type.Object(properties), { additionalProperties: false, ...options });

/** Address fields of a PATCH; `null` clears one. */
export const AddressPatchSchema = patchOf({
  line1: nullable(text(200)),
  line2: nullable(Type.String({ maxLength: 200 })),
  city: nullable(text(100)),
  postalCode: nullable(text(20)),
  region: nullable(Type.String({ maxLength: 100 })),
  country: nullable(CountryCodeSchema),
});

/** Bank account fields of a PATCH; `null` clears one. */
export const BankAccountPatchSchema = patchOf({
  iban: nullable(
    Type.String({
      pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$',
      format: 'iban',
      description: 'IBAN, upper case, no spaces; its check digits must be right (ISO 13616 mod 97)',
      examples: ['DE89370400440532013000'],
    }),
  ),
  bic: nullable(
    Type.String({
      // ISO 9362: bank (4 letters), country (2 letters), location (2), optional branch (3).
      pattern: '^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$',
      description: 'BIC (ISO 9362, 8 or 11 characters, upper case)',
      examples: ['COBADEFFXXX'],
    }),
  ),
  bankName: nullable(text(200)),
});

/**
 * `PATCH /v1/organization` body (JSON Merge Patch, RFC 7396): absent fields stay, `null` clears an
 * optional field, and `address` / `bankAccount` merge field by field (`null` clears the whole object).
 */
export const OrganizationPatchSchema = patchOf(
  {
    name: text(200),
    legalName: nullable(text(200)),
    taxId: nullable(
      Type.String({
        minLength: 1,
        maxLength: 50,
        format: 'tax-id',
        description:
          "VAT or tax id, always a string; one written as a European VAT number (country prefix, then the number) must have that country's VAT number shape",
      }),
    ),
    companyNumber: nullable(text(50)),
    email: nullable(EmailSchema),
    phone: nullable(text(50)),
    address: nullable(AddressPatchSchema),
    bankAccount: nullable(BankAccountPatchSchema),
    defaultCurrency: nullable(CurrencyCodeSchema),
  },
  { minProperties: 1 },
);
export type OrganizationPatch = Static<typeof OrganizationPatchSchema>;

/** Roles an admin can give (the `owner` role is given by PATCH of a member, never by invitation). */
export const InvitableRoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('member')]);

/** A membership's status: pending until approved, deactivated once removed. */
export const MemberStatusSchema = Type.Union([
  Type.Literal('active'),
  Type.Literal('pending'),
  Type.Literal('deactivated'),
]);

/** A permission list without duplicates. */
const PermissionListSchema = Type.Array(PermissionSchema, { uniqueItems: true, maxItems: 4 });

/** `POST /v1/invitations` body. */
export const InvitationCreateRequestSchema = Type.Object(
  {
    email: EmailSchema,
    role: Type.Optional(InvitableRoleSchema),
    permissions: Type.Optional(PermissionListSchema),
  },
  { additionalProperties: false },
);
export type InvitationCreateRequest = Static<typeof InvitationCreateRequestSchema>;

/** An invitation as admins see it (never its token). */
export const InvitationSchema = Type.Object(
  {
    id: IdSchema,
    email: EmailSchema,
    role: RoleSchema,
    permissions: Type.Array(PermissionSchema),
    status: Type.Union([
      Type.Literal('pending'),
      Type.Literal('accepted'),
      Type.Literal('revoked'),
      Type.Literal('expired'),
    ]),
    invitedBy: IdSchema,
    expiresAt: Type.String({ format: 'date-time' }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Invitation' },
);
export type Invitation = Static<typeof InvitationSchema>;

/** `GET /v1/invitations` 200 body (newest first). */
export const InvitationListSchema = Type.Object({ items: Type.Array(InvitationSchema) });

/** Path parameter `{id}` of member, invitation and API key routes. */
export const IdParamsSchema = Type.Object({ id: IdSchema });

/**
 * `POST /v1/auth/accept-invitation` body. A new user gives a name and password; someone who already
 * has an account gives their current password (proving they own the address), and no name.
 */
export const AcceptInvitationRequestSchema = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type AcceptInvitationRequest = Static<typeof AcceptInvitationRequestSchema>;

/** `POST /v1/auth/accept-invitation` 200 body. */
export const AcceptInvitationResponseSchema = Type.Object({
  userId: IdSchema,
  organizationId: IdSchema,
  status: MemberStatusSchema,
});
export type AcceptInvitationResponse = Static<typeof AcceptInvitationResponseSchema>;

/** A member of the caller's organization; `id` is the user's id. */
export const MemberSchema = Type.Object(
  {
    id: IdSchema,
    email: EmailSchema,
    name: Type.String(),
    role: RoleSchema,
    permissions: Type.Array(PermissionSchema),
    status: MemberStatusSchema,
    joinedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Member' },
);
export type Member = Static<typeof MemberSchema>;

/** `GET /v1/members` 200 body (oldest first). */
export const MemberListSchema = Type.Object({ items: Type.Array(MemberSchema) });

/** `PATCH /v1/members/{id}` body: role, the four permissions, or approval of a pending member. */
export const MemberPatchSchema = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    permissions: Type.Optional(PermissionListSchema),
    approve: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type MemberPatch = Static<typeof MemberPatchSchema>;

/** `POST /v1/auth/switch-organization` body. */
export const SwitchOrganizationRequestSchema = Type.Object(
  { organizationId: IdSchema },
  { additionalProperties: false },
);

/** `POST /v1/auth/password-reset` and `POST /v1/auth/resend-verification` body. */
export const EmailOnlyRequestSchema = Type.Object({ email: EmailSchema }, { additionalProperties: false });

/** `POST /v1/auth/password-reset/confirm` body. */
export const PasswordResetConfirmSchema = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }), password: PasswordSchema },
  { additionalProperties: false },
);
export type PasswordResetConfirm = Static<typeof PasswordResetConfirmSchema>;

/** `POST /v1/auth/password` body: the current password re-authenticates the change. */
export const PasswordChangeSchema = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: PasswordSchema },
  { additionalProperties: false },
);
export type PasswordChange = Static<typeof PasswordChangeSchema>;

/** 202 body of the routes that do not reveal whether an account exists. */
export const AcceptedResponseSchema = Type.Object({ accepted: Type.Literal(true) });

/** `GET /v1/organization/settings` body, and `PATCH` (partial). */
export const OrganizationSettingsSchema = Type.Object({
  requireMemberApproval: Type.Boolean({
    description: 'New members stay pending until an owner or admin approves them',
  }),
});
export type OrganizationSettings = Static<typeof OrganizationSettingsSchema>;
export const OrganizationSettingsPatchSchema = Type.Partial(OrganizationSettingsSchema, {
  additionalProperties: false,
  minProperties: 1,
});

/** `POST /v1/api-keys` body: a name, and either read-only access or a set of the four permissions. */
export const ApiKeyCreateRequestSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    readOnly: Type.Optional(
      Type.Boolean({
        description: 'Only GET requests (default false); permissions still limit what it reads',
      }),
    ),
    permissions: Type.Optional(PermissionListSchema),
  },
  { additionalProperties: false },
);
export type ApiKeyCreateRequest = Static<typeof ApiKeyCreateRequestSchema>;

/** An API key as listed (never its secret). */
export const ApiKeySchema = Type.Object({
  id: IdSchema,
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it' }),
  readOnly: Type.Boolean(),
  permissions: Type.Array(PermissionSchema),
  createdBy: IdSchema,
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type ApiKey = Static<typeof ApiKeySchema>;

/** `POST /v1/api-keys` 201 body: the key itself, shown this once. */
export const ApiKeyCreatedSchema = Type.Intersect([
  ApiKeySchema,
  Type.Object({ key: Type.String({ description: 'The secret; shown only in this response' }) }),
]);

/** `GET /v1/api-keys` 200 body. */
export const ApiKeyListSchema = Type.Object({ items: Type.Array(ApiKeySchema) });

/** `POST /v1/auth/api-key-token` body (the gateway exchanges a presented key for an access token). */
export const ApiKeyTokenRequestSchema = Type.Object(
  { apiKey: Type.String({ minLength: 10, maxLength: 200 }) },
  { additionalProperties: false },
);

/** `POST /v1/auth/api-key-token` 200 body: a short-lived access token standing for the key. */
export const ApiKeyTokenResponseSchema = Type.Object({
  accessToken: Type.String(),
  expiresIn: Type.Integer(),
  tokenType: Type.Literal('Bearer'),
});
export type ApiKeyTokenResponse = Static<typeof ApiKeyTokenResponseSchema>;

/** `GET /v1/auth/organizations` 200 body: the organizations the caller belongs to (to pick or switch). */
export const MyOrganizationsSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      id: IdSchema,
      name: Type.String(),
      role: RoleSchema,
      status: MemberStatusSchema,
      current: Type.Boolean({ description: 'The organization of the token used' }),
    }),
  ),
});
export type MyOrganizations = Static<typeof MyOrganizationsSchema>;
