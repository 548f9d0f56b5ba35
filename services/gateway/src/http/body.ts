/**
 * Request bodies at the gateway. Each is read whole, up to the limit of its route family, before it
 * is proxied: a larger one is refused with 413 problem+json `PAYLOAD_TOO_LARGE`, by its
 * Content-Length before a byte is read, or, when it is streamed (chunked), as soon as the count
 * passes the limit. Holding the whole body also lets it go upstream in one write, so an upstream
 * that answers before reading all of it (its own 413, a 415, a 503 while busy) is relayed as it
 * answered; a body streamed on into a socket the upstream had closed broke the pipe, and that
 * became a 503.
 */
import type { Readable } from 'node:stream';
import { AppError } from '@invoice/contracts';

function tooLarge(family: string, limit: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', {
    detail: `The ${family} API accepts request bodies of at most ${limit} bytes`,
  });
}

/**
 * Reads a request body into one buffer, refusing it (rejecting with `PAYLOAD_TOO_LARGE`) when its
 * declared length or the bytes actually received pass `limit`. Reading stops at the first byte
 * over the limit; the caller answers and closes the connection.
 */
export function readBody(
  payload: Readable,
  declaredLength: string | undefined,
  limit: number,
  family: string,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = declaredLength === undefined ? Number.NaN : Number(declaredLength);
    if (declared > limit) return reject(tooLarge(family, limit));
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = () => {
      payload.off('data', onData).off('end', onEnd).off('error', onError);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += bytes.length;
      if (received > limit) {
        stop();
        payload.pause();
        reject(tooLarge(family, limit));
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = () => {
      stop();
      if (!Number.isNaN(declared) && declared !== received) {
        reject(new AppError('MALFORMED_REQUEST', { detail: 'The body does not match its Content-Length' }));
        return;
      }
      resolve(Buffer.concat(chunks, received));
    };
    const onError = (error: Error) => {
      stop();
      reject(new AppError('MALFORMED_REQUEST', { detail: 'The body could not be read', cause: error }));
    };
    payload.on('data', onData).on('end', onEnd).on('error', onError);
    payload.resume();
  });
}
