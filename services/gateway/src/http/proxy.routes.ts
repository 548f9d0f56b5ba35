/**
 * The proxy: every public path goes to the service that owns it. Bodies are streamed through
 * untouched (upstream services validate and limit them); tokens are verified here as well as
 * upstream, so an unauthenticated request never reaches a service.
 */
import { AppError } from '@invoice/contracts';
import { requireAuth, sendProblem, type App, type JwtVerifier } from '@invoice/platform-http';
import replyFrom from '@fastify/reply-from';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isPublicPath, upstreamFor, type Upstream } from '../domain/routing.ts';

/** What the proxy needs. */
export interface ProxyOptions {
  upstreams: Record<Upstream, string>;
  verifier: JwtVerifier;
  timeoutMs: number;
}

/** Registers the catch-all proxy routes in their own context (no body parsing there). */
export async function proxyRoutes(app: App, options: ProxyOptions): Promise<void> {
  await app.register(replyFrom, {
    undici: { headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  const authenticate = requireAuth(options.verifier);
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const upstream = upstreamFor(request.url);
    if (!upstream) throw new AppError('ROUTE_NOT_FOUND');
    if (!isPublicPath(request.url)) await authenticate(request);
    return reply.from(`${options.upstreams[upstream]}${request.url}`, {
      rewriteRequestHeaders: (_req, headers) => ({
        ...headers,
        'x-request-id': String(request.id),
        'x-forwarded-for': request.ip,
      }),
      onError: (errorReply, { error }) => {
        request.log.warn({ err: error, upstream }, 'upstream unreachable');
        sendProblem(
          errorReply as FastifyReply,
          new AppError('SERVICE_UNAVAILABLE', { detail: `The ${upstream} service is unavailable` }),
          request,
        );
      },
    });
  };
  app.route({
    method: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    url: '/v1/*',
    schema: { hide: true },
    handler,
  });
  app.get('/.well-known/jwks.json', { schema: { hide: true } }, handler);
}
