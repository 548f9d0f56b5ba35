/**
 * HTTP conventions every service gets from `createServer`, so a new route follows them without
 * per-route work: JSON Merge Patch bodies on PATCH (RFC 7396), and 304 Not Modified for a GET whose
 * `If-None-Match` names the ETag of the answer (RFC 9110 §13.1.2, §15.4.5).
 */
import { AppError } from '@invoice/contracts';
import type { FastifyInstance } from 'fastify';
import { ifNoneMatchIncludes } from './preconditions.ts';

/** The media type of a JSON Merge Patch document. */
export const MERGE_PATCH = 'application/merge-patch+json';

/**
 * Accepts `application/merge-patch+json` bodies on PATCH (the routes that merge), parsed as JSON
 * with the app's JSON parser; on any other method it is 415, and so is `text/plain`.
 */
export function acceptMergePatch(app: FastifyInstance): void {
  // The API speaks JSON: fastify's built-in text/plain parser would let a text body reach the
  // schema as a string (a 400), where the answer is 415.
  app.removeContentTypeParser('text/plain');
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser(MERGE_PATCH, { parseAs: 'string' }, (request, body, done) => {
    if (request.method !== 'PATCH') {
      done(
        new AppError('UNSUPPORTED_MEDIA_TYPE', { detail: `${MERGE_PATCH} is accepted by PATCH only` }),
        undefined,
      );
      return;
    }
    parseJson(request, body.toString(), done);
  });
}

/**
 * Turns a 200 to a GET or HEAD into 304 (no body) when the request's `If-None-Match` names the
 * response's ETag. Costs one status and one header check per response.
 */
export function answerNotModified(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    const condition = request.headers['if-none-match'];
    if (condition === undefined || reply.statusCode !== 200) return done(null, payload);
    if (request.method !== 'GET' && request.method !== 'HEAD') return done(null, payload);
    const etag = reply.getHeader('etag');
    if (typeof etag !== 'string' || !ifNoneMatchIncludes(condition, etag)) return done(null, payload);
    reply.code(304);
    reply.removeHeader('content-length');
    reply.removeHeader('content-type');
    done(null, '');
  });
}
