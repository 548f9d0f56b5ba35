/**
 * Ed25519 signing keys for access tokens. One key is active and signs; retired keys stay published
 * in the JWKS for a grace period so tokens they signed keep verifying until they expire.
 *
 * Production signs with AUTH_SIGNING_KEY (a private JWK from a Kubernetes Secret, readable by auth
 * only); AUTH_REQUIRE_CONFIGURED_KEY makes its absence a start-up error. Once a key is configured the
 * database's keys are neither used nor published: the JWKS holds the configured key and the keys of
 * AUTH_PREVIOUS_SIGNING_KEYS (public JWKs kept through a rotation's overlap). Rotation: put the
 * current key's public JWK into AUTH_PREVIOUS_SIGNING_KEYS and a new private JWK (`npm run
 * signing-key -w @invoice/auth -- generate`) into AUTH_SIGNING_KEY, roll out, and drop the previous
 * key after the overlap (the access token lifetime plus the JWKS cache, i.e. 15 + 1 minutes by default).
 *
 * Without a configured key (development, tests) keys live in `signing_keys` (shared by replicas; at
 * most one has retired_at null, which a unique partial index enforces across replicas; see
 * db/signing-keys.repository.ts), and `npm run signing-key -w @invoice/auth -- rotate` rotates them.
 */
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';
import { newId } from '@invoice/contracts';
import type { MikroORM } from '@invoice/platform-db';
import type { Logger } from '@invoice/platform-logger';
import {
  findActiveKey,
  findPublishedKeys,
  insertActiveKeyUnlessPresent,
  replaceActiveKey,
  type SigningKeyRow,
} from '../db/signing-keys.repository.ts';

/** A public key as published in the JWKS. */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** The key that signs new tokens. */
export interface ActiveKey {
  kid: string;
  privateKey: CryptoKey;
}

/** Retired keys stay published this long (far longer than any access token lives). */
const RETIRED_KEY_GRACE_HOURS = 24;
/** Replicas re-read the active key this often, so a rotation elsewhere reaches them. */
const ACTIVE_KEY_CACHE_MS = 60_000;

/** The service's signing keys. */
export class SigningKeys {
  private readonly orm: MikroORM;
  private readonly configured: { active: ActiveKey; publicJwk: PublicJwk } | undefined;
  private readonly previous: PublicJwk[];
  private cached: { key: ActiveKey; at: number } | undefined;

  private constructor(
    orm: MikroORM,
    configured: { active: ActiveKey; publicJwk: PublicJwk } | undefined,
    previous: PublicJwk[] = [],
  ) {
    this.orm = orm;
    this.configured = configured;
    this.previous = previous;
  }

  /**
   * Uses the configured private JWK (checked now: a bad one fails the start-up), or the keys in the
   * database. The database is not touched here (the composition root opens this before migrations
   * run): the first {@link active} call creates the active key when there is none.
   */
  static async open(
    orm: MikroORM,
    options: {
      configuredKey?: string | undefined;
      previousKeys?: string | undefined;
      requireConfigured?: boolean;
      logger: Logger;
    },
  ): Promise<SigningKeys> {
    if (!options.configuredKey) {
      if (options.requireConfigured) {
        throw new Error('AUTH_SIGNING_KEY is required (AUTH_REQUIRE_CONFIGURED_KEY is set)');
      }
      return new SigningKeys(orm, undefined);
    }
    const configured = await importConfiguredKey(options.configuredKey);
    const previous = await importPreviousKeys(options.previousKeys);
    options.logger.info(
      { kid: configured.active.kid, previous: previous.map((key) => key.kid) },
      'signing with the configured key',
    );
    return new SigningKeys(orm, configured, previous);
  }

  /** The key that signs new tokens (created if the database has none). */
  async active(): Promise<ActiveKey> {
    if (this.configured) return this.configured.active;
    if (this.cached && Date.now() - this.cached.at < ACTIVE_KEY_CACHE_MS) return this.cached.key;
    const row = (await findActiveKey(this.orm.em.fork())) ?? (await this.createActive());
    const key = { kid: row.kid, privateKey: await importKey(json(row.private_jwk)) };
    this.cached = { key, at: Date.now() };
    return key;
  }

  /**
   * The JWKS: the configured key and the previous ones of its rotation; without a configured key,
   * the stored active key and keys retired within the grace period.
   */
  async publicKeys(): Promise<PublicJwk[]> {
    if (this.configured) return [this.configured.publicJwk, ...this.previous];
    const rows = await findPublishedKeys(this.orm.em.fork(), RETIRED_KEY_GRACE_HOURS);
    return rows.map((row) => json(row.public_jwk) as unknown as PublicJwk);
  }

  /** Retires the stored active key and creates a new one (in one transaction). Returns the new kid. */
  async rotate(): Promise<string> {
    if (this.configured) throw new Error('the key is configured (AUTH_SIGNING_KEY): rotate it in the Secret');
    const generated = await generateKey();
    await this.orm.em.fork().transactional((em) => replaceActiveKey(em, generated));
    this.cached = undefined;
    return generated.kid;
  }

  /** Inserts a key unless another replica won the race (the unique partial index), then reads the winner. */
  private async createActive(): Promise<SigningKeyRow> {
    await insertActiveKeyUnlessPresent(this.orm.em.fork(), await generateKey());
    const row = await findActiveKey(this.orm.em.fork());
    if (!row) throw new Error('no active signing key after creating one');
    return row;
  }
}

async function generateKey(): Promise<{ kid: string; publicJwk: PublicJwk; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = newId();
  const publicJwk = toPublicJwk(await exportJWK(publicKey), kid);
  return { kid, publicJwk, privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA', use: 'sig' } };
}

/** Parses AUTH_SIGNING_KEY: a private Ed25519 JWK; its kid defaults to the RFC 7638 thumbprint. */
async function importConfiguredKey(text: string): Promise<{ active: ActiveKey; publicJwk: PublicJwk }> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw new Error('AUTH_SIGNING_KEY is not JSON (expected a private Ed25519 JWK)');
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string') {
    throw new Error('AUTH_SIGNING_KEY must be a private Ed25519 JWK (kty OKP, crv Ed25519, with d and x)');
  }
  const kid = jwk.kid ?? (await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x }));
  return { active: { kid, privateKey: await importKey(jwk) }, publicJwk: toPublicJwk(jwk, kid) };
}

/** Parses AUTH_PREVIOUS_SIGNING_KEYS: a JSON array of Ed25519 JWKs (only their public parts are kept). */
async function importPreviousKeys(text: string | undefined): Promise<PublicJwk[]> {
  if (!text) return [];
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw new Error('AUTH_PREVIOUS_SIGNING_KEYS is not JSON (expected an array of Ed25519 JWKs)');
  }
  if (!Array.isArray(list)) throw new Error('AUTH_PREVIOUS_SIGNING_KEYS must be a JSON array of JWKs');
  const keys: PublicJwk[] = [];
  for (const jwk of list as JWK[]) {
    if (jwk?.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
      throw new Error('AUTH_PREVIOUS_SIGNING_KEYS must hold Ed25519 JWKs (kty OKP, crv Ed25519, with x)');
    }
    const kid = jwk.kid ?? (await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x }));
    keys.push(toPublicJwk(jwk, kid));
  }
  return keys;
}

/** A new private JWK for AUTH_SIGNING_KEY (kid = its RFC 7638 thumbprint). */
export async function generateConfiguredKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: String(jwk.x) });
  return { ...jwk, kid, alg: 'EdDSA', use: 'sig' };
}

function toPublicJwk(jwk: JWK, kid: string): PublicJwk {
  return { kty: 'OKP', crv: 'Ed25519', x: String(jwk.x), kid, alg: 'EdDSA', use: 'sig' };
}

async function importKey(jwk: JWK | PublicJwk): Promise<CryptoKey> {
  return (await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA')) as CryptoKey;
}

function json(value: JWK | string): JWK {
  return typeof value === 'string' ? (JSON.parse(value) as JWK) : value;
}
