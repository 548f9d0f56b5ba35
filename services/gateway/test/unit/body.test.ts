import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { AppError } from '@invoice/contracts';
import { readBody } from '../../src/http/body.ts';

const hasCode = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

describe('gateway body reader', () => {
  it('refuses a body by its declared length before reading a byte', async () => {
    const payload = new PassThrough();
    await assert.rejects(readBody(payload, '101', 100, 'auth'), hasCode('PAYLOAD_TOO_LARGE'));
    assert.equal(payload.readableFlowing, null, 'the body was never read');
  });

  it('refuses a streamed body at the first byte over the limit', async () => {
    let pulled = 0;
    const payload = Readable.from(
      (function* () {
        for (let i = 0; i < 100; i++) {
          pulled++;
          yield Buffer.alloc(10);
        }
      })(),
    );
    await assert.rejects(readBody(payload, undefined, 35, 'catalog'), (error: unknown) => {
      assert.ok(hasCode('PAYLOAD_TOO_LARGE')(error));
      assert.match(
        (error as AppError).detail ?? '',
        /catalog API accepts request bodies of at most 35 bytes/,
      );
      return true;
    });
    assert.ok(pulled < 100, `read ${pulled} of 100 chunks`);
  });

  it('returns a body of exactly the limit whole', async () => {
    const body = await readBody(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), undefined, 4, 'auth');
    assert.equal(body.toString(), 'abcd');
    const declared = await readBody(Readable.from([Buffer.from('abcd')]), '4', 4, 'auth');
    assert.equal(declared.toString(), 'abcd');
  });

  it('refuses a body shorter or longer than its declared length', async () => {
    await assert.rejects(
      readBody(Readable.from([Buffer.from('ab')]), '3', 100, 'auth'),
      hasCode('MALFORMED_REQUEST'),
    );
  });

  it('answers a body that breaks off as malformed', async () => {
    const payload = new PassThrough();
    const reading = readBody(payload, undefined, 100, 'auth');
    payload.write('ab');
    payload.destroy(new Error('aborted'));
    await assert.rejects(reading, hasCode('MALFORMED_REQUEST'));
  });
});
