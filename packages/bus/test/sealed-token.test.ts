import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openToken, PermanentError, sealToken } from '../src/index.ts';

describe('one-time tokens sealed for the notification service', () => {
  const key = 'a-random-secret-of-the-deployment-0123456789';
  const token = 'Zq3xV9u2ktq6bS0vTn1pWc8rXh4LmY7e';

  it('a sealed token does not contain the token and opens to it with the key', () => {
    const sealed = sealToken(token, key);
    assert.match(sealed, /^sealed\.v1\./);
    assert.ok(!sealed.includes(token));
    assert.notEqual(sealToken(token, key), sealed, 'a fresh IV every time');
    assert.equal(openToken(sealed, key), token);
  });

  it('a wrong key, a tampered value or a missing key is a permanent error', () => {
    const sealed = sealToken(token, key);
    assert.throws(() => openToken(sealed, 'another-key'), PermanentError);
    assert.throws(() => openToken(`${sealed.slice(0, -2)}AA`, key), PermanentError);
    assert.throws(() => openToken(sealed, ''), PermanentError);
  });

  it('without a key nothing is sealed, and an unsealed value passes through', () => {
    assert.equal(sealToken(token, ''), token);
    assert.equal(openToken(token, key), token);
  });
});
