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
  },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequestSchema>;

/** Tokens returned by login and refresh: a short-lived access JWT and a rotating refresh token. */
export const TokenPairSchema = Type.Object({
  accessToken: Type.String({ description: 'EdDSA JWT (typ at+jwt) for the Authorization: Bearer header' }),
  refreshToken: Type.String({ description: 'Opaque, single use: each refresh returns a new one' }),
  expiresIn: Type.Integer({ description: 'Lifetime of the access token in seconds' }),
  tokenType: Type.Literal('Bearer'),
});
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
    Type.String({ pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$', description: 'IBAN, upper case, no spaces' }),
  ),
  bic: nullable(
    Type.String({ pattern: '^[A-Z0-9]{8}([A-Z0-9]{3})?$', description: 'BIC (8 or 11 characters)' }),
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
      Type.String({ minLength: 1, maxLength: 50, description: 'VAT or tax id, always a string' }),
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
