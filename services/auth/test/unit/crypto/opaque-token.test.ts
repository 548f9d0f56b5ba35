import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { hashToken, newOpaqueToken, secondsAfter } from '../../../src/crypto/opaque-token.ts';

describe('opaque tokens', () => {
  it('are 43 URL-safe characters (256 random bits) and never repeat', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newOpaqueToken));
    assert.equal(tokens.size, 1000);
    for (const token of tokens) assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  });

  it('are stored as their SHA-256 in hex, which differs from the token', () => {
    const token = newOpaqueToken();
    assert.equal(hashToken(token), createHash('sha256').update(token).digest('hex'));
    assert.match(hashToken(token), /^[0-9a-f]{64}$/);
    assert.notEqual(hashToken(token), hashToken(newOpaqueToken()));
  });

  it('computes expiry instants', () => {
    assert.equal(
      secondsAfter(new Date('2026-01-01T00:00:00Z'), 86_400).toISOString(),
      '2026-01-02T00:00:00.000Z',
    );
  });
});
