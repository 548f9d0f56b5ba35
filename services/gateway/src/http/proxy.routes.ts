/**
 * The proxy: every public path goes to the service that owns it. Before a body is read, the path
 * must belong to a service and carry a valid token unless it is public, so an unauthenticated
 * request never reaches a service nor makes the gateway read its body. Bodies are then read whole
 * up to their route family's limit (413 beyond it, see `body.ts`) and sent upstream as they came;
 * upstream services still validate them. Whatever status an upstream answers is relayed; only an
 * upstream that cannot be reached (or fails before answering) becomes 503.
 */
import { AppError } from '@invoice/contracts';
import { requireAuth, sendProblem, type App, type JwtVerifier } from '@invoice/platform-http';
import type { IncomingMessage } from 'node:http';
import replyFrom from '@fastify/reply-from';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isPublicPath, isUploadRoute, upstreamFor, type Upstream } from '../domain/routing.ts';
import { readBody } from './body.ts';

/** What the proxy needs. */
export interface ProxyOptions {
  upstreams: Record<Upstream, string>;
  /** The largest request body (bytes) of each route family. */
  bodyLimits: Record<Upstream, number>;
  /** The largest spreadsheet upload (`POST /v1/imports`), bytes. */
  uploadLimit: number;
  verifier: JwtVerifier;
  timeoutMs: number;
  /** Exchanges an API key (`Bearer ik_…`) for an access token (see api-key-exchange.ts). */
  exchangeApiKey?: (apiKey: string) => Promise<string>;
  /** The client's address as the gateway believes it (see client-ip.ts); default `request.ip`. */
  clientAddress?: (request: FastifyRequest) => string;
}

/**
 * The connection pool to each upstream (one undici Pool per origin): kept-alive connections reused
 * request after request (the services keep idle connections 72 s, fastify's default, so the pool
 * lets them go after 60 s, before the server would, and never reuses one the server is closing),
 * up to 128 per upstream, one request at a time on each (no pipelining: a slow response must not
 * hold up the ones queued behind it on the same connection).
 */
export const UPSTREAM_POOL = {
  connections: 128,
  pipelining: 1,
  keepAliveTimeout: 60_000,
  keepAliveMaxTimeout: 60_000,
} as const;

/** Registers the catch-all proxy routes in their own context (bodies are read here, not parsed). */
export async function proxyRoutes(app: App, options: ProxyOptions): Promise<void> {
  await app.register(replyFrom, {
    undici: { ...UPSTREAM_POOL, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs },
    // The request's one line is the server's (see createServer); upstream errors are still logged.
    disableRequestLogging: true,
  });

  const authenticate = requireAuth(options.verifier);
  app.addHook('onRequest', async (request) => {
    const upstream = upstreamFor(request.url);
    if (!upstream) throw new AppError('ROUTE_NOT_FOUND');
    if (isPublicPath(request.url)) return;
    const presented = request.headers.authorization?.match(/^bearer (ik_\S+)$/i)?.[1];
    if (presented && options.exchangeApiKey) {
      request.headers.authorization = `Bearer ${await options.exchangeApiKey(presented)}`;
    }
    await authenticate(request);
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', async (request: FastifyRequest, payload: IncomingMessage) => {
    const upstream = upstreamFor(request.url) as Upstream;
    const upload = isUploadRoute(request.method, request.url);
    const limit = upload ? options.uploadLimit : options.bodyLimits[upstream];
    return readBody(payload, request.headers['content-length'], limit, upload ? 'import upload' : upstream);
  });

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const upstream = upstreamFor(request.url) as Upstream;
    const body = request.body instanceof Buffer ? request.body : undefined;
    const contentType = request.headers['content-type'];
    return reply.from(`${options.upstreams[upstream]}${request.url}`, {
      // A buffer is sent as is, with its Content-Length (reply-from needs a content type for that).
      ...(body ? { body, contentType: contentType ?? 'application/octet-stream' } : {}),
      rewriteRequestHeaders: (_req, headers) => {
        // The services see the client the gateway counted, never a header the client made up.
        const client = options.clientAddress?.(request) ?? request.ip;
        const forwarded = { ...headers, 'x-request-id': String(request.id), 'x-forwarded-for': client };
        if (contentType === undefined) delete forwarded['content-type'];
        return forwarded;
      },
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
