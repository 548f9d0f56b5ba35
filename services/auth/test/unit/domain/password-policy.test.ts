import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { passwordProblem } from '../../../src/domain/password-policy.ts';

describe('password policy', () => {
  it('accepts 10+ characters from at least two classes', () => {
    for (const password of [
      'correct horse 42',
      'abcdefghi1',
      'ABCDEFGHIj',
      'paßwört-lang',
      '🙂🙂🙂🙂🙂abcde',
    ]) {
      assert.equal(passwordProblem(password), undefined, password);
    }
  });

  it('rejects fewer than 10 characters, counting code points rather than UTF-16 units', () => {
    assert.match(passwordProblem('Abc12345!')!, /at least 10/);
    assert.match(passwordProblem('🙂🙂🙂🙂🙂a')!, /at least 10/); // 12 UTF-16 units, 6 characters
  });

  it('rejects passwords drawn from one character class only', () => {
    for (const password of [
      'abcdefghijkl',
      'ABCDEFGHIJKL',
      '123456789012',
      '!!!!!!!!!!!!',
      '          ',
      'éàüöäßçñøåæ',
    ]) {
      assert.match(passwordProblem(password)!, /at least two/, password);
    }
  });

  it('rejects passwords longer than 256 characters', () => {
    assert.match(passwordProblem(`${'a1'.repeat(128)}x`)!, /at most 256/);
    assert.equal(passwordProblem('a1'.repeat(128)), undefined);
  });
});
