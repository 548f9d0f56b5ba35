import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '@invoice/contracts';
import { assertIfMatch, etagFor, ifMatchAllows, parseIfMatch } from '../src/preconditions.ts';

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
};

describe('If-Match (RFC 9110 §13.1.1)', () => {
  it('the ETag of a version is a strong tag', () => {
    assert.equal(etagFor(3), '"3"');
  });

  it('a missing or blank header is absent', () => {
    assert.deepEqual(parseIfMatch(undefined), { kind: 'absent' });
    assert.deepEqual(parseIfMatch(''), { kind: 'absent' });
    assert.deepEqual(parseIfMatch('  ,  '), { kind: 'tags', tags: [] });
  });

  it('matches the current strong tag, *, and lists that name it', () => {
    assert.ok(ifMatchAllows(parseIfMatch('"3"'), 3));
    assert.ok(ifMatchAllows(parseIfMatch('*'), 3));
    assert.ok(ifMatchAllows(parseIfMatch('"1", "3"'), 3));
    assert.ok(ifMatchAllows(parseIfMatch(['"1"', '"3"']), 3));
    assert.ok(ifMatchAllows(parseIfMatch(undefined), 3));
  });

  it('never matches a weak tag, a stale tag or an unquoted version', () => {
    assert.ok(!ifMatchAllows(parseIfMatch('W/"3"'), 3));
    assert.ok(!ifMatchAllows(parseIfMatch('"2"'), 3));
    assert.ok(!ifMatchAllows(parseIfMatch('3'), 3));
    assert.ok(!ifMatchAllows(parseIfMatch('"1", W/"3"'), 3));
  });

  it('a failed condition is 412 PRECONDITION_FAILED; a missing one 428 only where required', () => {
    assert.equal(
      codeOf(() => assertIfMatch(parseIfMatch('"2"'), 3)),
      'PRECONDITION_FAILED',
    );
    assert.equal(
      codeOf(() => assertIfMatch(parseIfMatch(undefined), 3)),
      undefined,
    );
    assert.equal(
      codeOf(() => assertIfMatch(parseIfMatch(' '), 3, { required: true })),
      'PRECONDITION_REQUIRED',
    );
    assert.equal(
      codeOf(() => assertIfMatch(parseIfMatch('"3"'), 3, { required: true })),
      undefined,
    );
  });
});
