import type { JWK } from 'jose';
import { defineEntity, p } from '@invoice/platform-db';

/**
 * An Ed25519 signing key. At most one is active (retired_at is null; a unique partial index makes
 * that hold across replicas).
 *
 * The private JWK is stored in clear here. In production it must be encrypted at rest (envelope
 * encryption with a KMS key) or kept in a KMS/HSM that signs for us; left for later.
 */
export const SigningKey = defineEntity({
  name: 'SigningKey',
  tableName: 'signing_keys',
  properties: {
    kid: p.text().primary(),
    publicJwk: p.json<JWK>().name('public_jwk'),
    privateJwk: p.json<JWK>().name('private_jwk').hidden(),
    createdAt: p
      .datetime()
      .name('created_at')
      .onCreate(() => new Date()),
    retiredAt: p.datetime().name('retired_at').nullable(),
  },
});
