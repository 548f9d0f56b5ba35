/**
 * Action routes (`/issue`, `/send`, …) take no or an optional body, and many HTTP clients still send
 * `Content-Type: application/json` with an empty body: treat that as "no body" instead of a parse
 * error. Anything else goes through fastify's own JSON parser (prototype poisoning refused).
 */
import type { FastifyInstance } from 'fastify';

/** Replaces the JSON parser of an app with one that reads an empty body as no body. */
export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
