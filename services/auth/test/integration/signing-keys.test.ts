import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
} from 'jose';
import { silentLogger } from '@invoice/platform-testing';
import { signAccessToken } from '../../src/crypto/access-tokens.ts';
import { generateConfiguredKey, SigningKeys } from '../../src/crypto/signing-keys.ts';
import { insertActiveKeyUnlessPresent } from '../../src/db/signing-keys.repository.ts';
import { ownTokenVerifier } from '../../src/deps.ts';
import { bearer, verifiedAccount } from '../support/accounts.ts';
import { startHarness, type Harness } from '../support/harness.ts';

describe('signing keys and the JWKS', () => {
  let harness: Harness;
  before(async () => {
    // No key caching, so a key that leaves the JWKS stops verifying at once instead of within a minute.
    harness = await startHarness({
      adjustDeps: (deps) => ({
        ...deps,
        verifier: ownTokenVerifier(deps.config, deps.keys, { cooldownMs: 0, maxAgeMs: 0 }),
      }),
    });
  });
  after(async () => {
    await harness?.close();
  });

  const logger = silentLogger();
  const jwksKids = async () =>
    (await harness.app.inject({ method: 'GET', url: '/.well-known/jwks.json' }))
      .json()
      .keys.map((key: { kid: string }) => key.kid);
  const activeCount = async () => {
    const [row] = await harness.deps.orm.em
      .fork()
      .execute<{ n: string }[]>('select count(*) as n from "auth"."signing_keys" where retired_at is null');
    return Number(row!.n);
  };

  it('creates exactly one active key when two replicas start on an empty table at once', async () => {
    const fresh = await startHarness();
    try {
      const { orm } = fresh.deps;
      await orm.em.fork().execute('delete from "auth"."signing_keys"');
      const replicas = await Promise.all([1, 2].map(() => SigningKeys.open(orm, { logger })));
      const [a, b] = await Promise.all(replicas.map((keys) => keys.active()));
      assert.equal(a!.kid, b!.kid);
      const rows = await orm.em
        .fork()
        .execute<{ retired_at: Date | null }[]>('select retired_at from "auth"."signing_keys"');
      assert.deepEqual(rows, [{ retired_at: null }]);
    } finally {
      await fresh.close();
    }
  });

  it('keeps publishing a retired key so tokens it signed still verify, and signs new ones with the new key', async () => {
    const account = await verifiedAccount(harness);
    const oldKid = decodeProtectedHeader(account.tokens.accessToken).kid!;

    const newKid = await SigningKeys.open(harness.deps.orm, { logger }).then((keys) => keys.rotate());
    assert.notEqual(newKid, oldKid);
    assert.equal(await activeCount(), 1);
    const kids = await jwksKids();
    assert.ok(kids.includes(oldKid) && kids.includes(newKid), JSON.stringify(kids));

    const me = await harness.app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: bearer(account.tokens),
    });
    assert.equal(me.statusCode, 200);
    assert.equal((await (await SigningKeys.open(harness.deps.orm, { logger })).active()).kid, newKid);
  });

  it('stops publishing keys retired more than a day ago, and tokens they signed get 401', async () => {
    const account = await verifiedAccount(harness);
    const keys = await SigningKeys.open(harness.deps.orm, { logger });
    const retiringKey = await keys.active();
    const retiring = retiringKey.kid;
    const token = await signAccessToken(
      retiringKey,
      {
        userId: account.created.userId,
        orgId: account.created.organizationId,
        role: 'owner',
        permissions: ['admin'],
      },
      { issuer: harness.config.JWT_ISSUER, audience: harness.config.JWT_AUDIENCE, ttlSeconds: 900 },
    );
    const me = () =>
      harness.app.inject({
        method: 'GET',
        url: '/v1/auth/me',
        headers: { authorization: `Bearer ${token}` },
      });
    assert.equal((await me()).statusCode, 200);

    await keys.rotate();
    assert.equal((await me()).statusCode, 200, 'a key retired within the grace period still verifies');
    await harness.deps.orm.em
      .fork()
      .execute(`update "auth"."signing_keys" set retired_at = now() - interval '25 hours' where kid = ?`, [
        retiring,
      ]);
    assert.ok(!(await jwksKids()).includes(retiring));
    const refused = await me();
    assert.equal(refused.statusCode, 401, refused.body);
    assert.equal(refused.json().code, 'UNAUTHENTICATED');
  });

  it('signs with AUTH_SIGNING_KEY when it is set, publishing its public part under its thumbprint', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwk = await exportJWK(privateKey);
    const configured = await startHarness({ env: { AUTH_SIGNING_KEY: JSON.stringify(jwk) } });
    try {
      const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x! });
      const account = await verifiedAccount(configured);
      assert.equal(decodeProtectedHeader(account.tokens.accessToken).kid, kid);
      const { keys } = (await configured.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      const published = keys.find((key: { kid: string }) => key.kid === kid);
      assert.deepEqual(published, { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, alg: 'EdDSA', use: 'sig' });
      const me = await configured.app.inject({
        method: 'GET',
        url: '/v1/auth/me',
        headers: bearer(account.tokens),
      });
      assert.equal(me.statusCode, 200);
    } finally {
      await configured.close();
    }
  });

  it('refuses an AUTH_SIGNING_KEY that is not a private Ed25519 JWK', async () => {
    const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const publicOnly = JSON.stringify(await exportJWK(publicKey));
    await assert.rejects(
      SigningKeys.open(harness.deps.orm, { configuredKey: publicOnly, logger }),
      /private Ed25519 JWK/,
    );
    await assert.rejects(
      SigningKeys.open(harness.deps.orm, { configuredKey: 'not json', logger }),
      /not JSON/,
    );
  });

  it('publishes only the configured key and the previous ones once a key is configured (never the stored keys)', async () => {
    const stored = await jwksKids();
    assert.ok(stored.length >= 1);
    const current = await generateConfiguredKey();
    const previous = await generateConfiguredKey();
    const { d: _secret, ...previousPublic } = previous;
    const configured = await startHarness({
      env: {
        AUTH_SIGNING_KEY: JSON.stringify(current),
        AUTH_PREVIOUS_SIGNING_KEYS: JSON.stringify([previousPublic]),
      },
    });
    try {
      // Keys of another deployment's table are in this database too: none of them is published.
      await insertActiveKeyUnlessPresent(configured.deps.orm.em.fork(), {
        kid: 'stored-key',
        publicJwk: { kty: 'OKP', crv: 'Ed25519', x: String(previous.x), kid: 'stored-key' },
        privateJwk: {},
      });
      const { keys } = (await configured.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      assert.deepEqual(
        keys.map((key: { kid: string }) => key.kid),
        [current.kid, previous.kid],
      );
      assert.ok(keys.every((key: Record<string, unknown>) => key.d === undefined));
      // A token signed with the previous key still verifies through the overlap.
      const account = await verifiedAccount(configured);
      const oldToken = await signAccessToken(
        { kid: String(previous.kid), privateKey: (await importJWK(previous, 'EdDSA')) as CryptoKey },
        {
          userId: account.created.userId,
          orgId: account.created.organizationId,
          role: 'owner',
          permissions: [],
          membershipVersion: 1,
        },
        { issuer: configured.config.JWT_ISSUER, audience: configured.config.JWT_AUDIENCE, ttlSeconds: 300 },
      );
      const me = await configured.app.inject({
        method: 'GET',
        url: '/v1/auth/me',
        headers: { authorization: `Bearer ${oldToken}` },
      });
      assert.equal(me.statusCode, 200, me.body);
      await assert.rejects(configured.deps.keys.rotate(), /configured/);
    } finally {
      await configured.close();
    }
  });

  it('refuses to start without AUTH_SIGNING_KEY when AUTH_REQUIRE_CONFIGURED_KEY is set', async () => {
    await assert.rejects(
      SigningKeys.open(harness.deps.orm, { requireConfigured: true, logger }),
      /AUTH_SIGNING_KEY is required/,
    );
    await assert.rejects(
      SigningKeys.open(harness.deps.orm, {
        configuredKey: JSON.stringify(await generateConfiguredKey()),
        previousKeys: '{"not":"a list"}',
        logger,
      }),
      /JSON array/,
    );
  });
});
