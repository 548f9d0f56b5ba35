import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIfMatch } from '../../../src/http/http-support.ts';

describe('If-Match', () => {
  it('reads strong, weak and listed ETags', () => {
    assert.deepEqual(parseIfMatch('"3"'), [3]);
    assert.deepEqual(parseIfMatch('W/"4"'), [4]);
    assert.deepEqual(parseIfMatch('"1", "2"'), [1, 2]);
  });

  it('accepts anything for no header or *', () => {
    assert.equal(parseIfMatch(undefined), undefined);
    assert.equal(parseIfMatch('*'), undefined);
  });

  it('turns garbage into a version that never matches', () => {
    assert.deepEqual(parseIfMatch('banana'), [-1]);
  });
});
