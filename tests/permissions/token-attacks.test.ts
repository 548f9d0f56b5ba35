/**
 * Forged and malformed access tokens are refused by every service (each verifies with the shared
 * verifier of `packages/http`): `alg: none`, a tampered payload, expired, no `exp`, no `iat`, no
 * `sub`, no `org`, another audience, an unknown `kid`, and an HS256 token whose HMAC secret is the
 * public key. Each service runs with its JWKS pointed at a key this test holds (auth signs with its own).
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { startServiceHarness } from '@invoice/platform-testing';
import { service as auth } from '../../services/auth/src/service.ts';
import { service as catalog } from '../../services/catalog/src/service.ts';
import { service as document } from '../../services/document/src/service.ts';
import { service as invoicing } from '../../services/invoicing/src/service.ts';
import { service as notification } from '../../services/notification/src/service.ts';

const ISSUER = 'invoice-platform';
const AUDIENCE = 'invoice-api';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

interface Key {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** Every attack, plus the valid token it starts from (first). */
async function tokens(key: Key): Promise<[string, string][]> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { org: randomUUID(), role: 'owner', perms: ['admin'], mv: 1 };
  const sign = (
    options: {
      payload?: object;
      kid?: string;
      aud?: string;
      exp?: number | null;
      iat?: boolean;
      sub?: boolean;
    } = {},
  ) => {
    let jwt = new SignJWT({ ...(options.payload ?? claims) })
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: options.kid ?? key.kid })
      .setIssuer(ISSUER)
      .setAudience(options.aud ?? AUDIENCE);
    if (options.sub !== false) jwt = jwt.setSubject(randomUUID());
    if (options.iat !== false) jwt = jwt.setIssuedAt(now);
    if (options.exp !== null) jwt = jwt.setExpirationTime(options.exp ?? now + 600);
    return jwt.sign(key.privateKey);
  };
  const full = { ...claims, sub: randomUUID(), iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600 };
  const [head, , signature] = (await sign()).split('.');
  const hsHead = b64({ alg: 'HS256', typ: 'at+jwt', kid: key.kid });
  const hsBody = b64(full);
  const hmac = createHmac('sha256', JSON.stringify(key.publicJwk))
    .update(`${hsHead}.${hsBody}`)
    .digest('base64url');
  return [
    ['valid', await sign()],
    ['alg none', `${b64({ alg: 'none', typ: 'at+jwt', kid: key.kid })}.${b64(full)}.`],
    ['tampered payload', `${head}.${b64({ ...full, perms: ['admin', 'x'] })}.${signature}`],
    ['expired', await sign({ exp: now - 60 })],
    ['no exp', await sign({ exp: null })],
    ['no iat', await sign({ iat: false })],
    ['no sub', await sign({ sub: false })],
    ['no org', await sign({ payload: { role: 'owner', perms: [], mv: 1 } })],
    ['wrong audience', await sign({ aud: 'another-api' })],
    ['unknown kid', await sign({ kid: 'made-up-kid' })],
    ['HS256 with the public key', `${hsHead}.${hsBody}.${hmac}`],
  ];
}

async function firstSecuredGet(app: {
  inject: (o: object) => Promise<{ json(): unknown }>;
}): Promise<string> {
  const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, { security?: unknown[] }>>;
  };
  const [path] = Object.entries(document.paths).find(([, item]) => item.get?.security?.length) ?? [];
  assert.ok(path, 'the service has a secured GET');
  return path.replace(/\{[^}]+\}/g, randomUUID());
}

describe('token attacks against every service', { timeout: 300_000 }, () => {
  let key: Key;
  let jwks: Server;
  let jwksUrl: string;

  before(async () => {
    const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const kid = randomUUID();
    key = {
      kid,
      privateKey: pair.privateKey,
      publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'EdDSA', use: 'sig' },
    };
    jwks = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [key.publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  after(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

  for (const [name, service] of [
    ['catalog', catalog],
    ['invoicing', invoicing],
    ['document', document],
    ['notification', notification],
  ] as const) {
    it(`${name} refuses every forged token with 401 and accepts the valid one`, async () => {
      const harness = await startServiceHarness(service as never, {
        env: { AUTH_JWKS_URL: jwksUrl },
        consumers: false,
        relay: 'manual',
        s3: name === 'document' || name === 'notification',
      });
      try {
        const url = await firstSecuredGet(harness.app as never);
        for (const [attack, token] of await tokens(key)) {
          const response = await harness.app.inject({
            method: 'GET',
            url,
            headers: { authorization: `Bearer ${token}` },
          });
          if (attack === 'valid')
            assert.notEqual(response.statusCode, 401, `${name} valid: ${response.body}`);
          else assert.equal(response.statusCode, 401, `${name} ${attack}: ${response.body}`);
        }
      } finally {
        await harness.close();
      }
    });
  }

  it('auth refuses every forged token with 401 (signed with its own active key where a key is needed)', async () => {
    const harness = await startServiceHarness(auth, { relay: 'manual' });
    try {
      const active = await harness.deps.keys.active();
      const [publicJwk] = await harness.deps.keys.publicKeys();
      const own: Key = {
        kid: active.kid,
        privateKey: active.privateKey,
        publicJwk: publicJwk as unknown as JWK,
      };
      for (const [attack, token] of await tokens(own)) {
        if (attack === 'valid') continue; // its subject has no membership: 401 either way
        const response = await harness.app.inject({
          method: 'GET',
          url: '/v1/organization',
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(response.statusCode, 401, `auth ${attack}: ${response.body}`);
      }
    } finally {
      await harness.close();
    }
  });
});
