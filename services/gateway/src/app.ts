/**
 * Builds the gateway: CORS, rate limits (Redis), JWT check, body limits, proxy, merged OpenAPI, and a
 * readiness that includes every upstream's. Never listens.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { AppError } from '@invoice/contracts';
import { createServer, type App } from '@invoice/platform-http';
import type { Deps } from './deps.ts';
import { clientIp } from './domain/client-ip.ts';
import { isSensitivePath, type Upstream } from './domain/routing.ts';
import { proxyRoutes } from './http/proxy.routes.ts';
import { docsRoutes } from './http/docs.routes.ts';
import { eventsDocsRoutes } from './http/events-docs.routes.ts';
import { gatewayReadiness } from './http/readiness.ts';
import { standardRateLimitHeaders } from './http/rate-limit-headers.ts';
import { strictRateLimit } from './http/strict-limit.ts';
import { apiKeyExchange } from './http/api-key-exchange.ts';

/** Every method the API uses, so a browser may send each (preflight for PATCH, PUT and DELETE). */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The response headers a browser client reads: ids, versions, locations, limits, replays, files. */
export const CORS_EXPOSED_HEADERS = [
  'x-request-id',
  'etag',
  'location',
  'retry-after',
  'ratelimit',
  'ratelimit-policy',
  'idempotent-replayed',
  'content-disposition',
  'allow',
  'www-authenticate',
];

/** The rate limits count requests per minute. */
const RATE_LIMIT_WINDOW_MS = 60_000;

/** Creates the gateway app. */
export async function buildApp(deps: Deps): Promise<App> {
  const { config } = deps;
  const upstreams: Record<Upstream, string> = {
    auth: config.AUTH_URL,
    catalog: config.CATALOG_URL,
    invoicing: config.INVOICING_URL,
    document: config.DOCUMENT_URL,
    notification: config.NOTIFICATION_URL,
  };
  const bodyLimits: Record<Upstream, number> = {
    auth: config.AUTH_BODY_LIMIT_BYTES,
    catalog: config.CATALOG_BODY_LIMIT_BYTES,
    invoicing: config.INVOICING_BODY_LIMIT_BYTES,
    document: config.DOCUMENT_BODY_LIMIT_BYTES,
    notification: config.NOTIFICATION_BODY_LIMIT_BYTES,
  };
  const app = await createServer({
    service: 'gateway',
    logger: deps.logger,
    // Ready when Redis and every upstream is: then a request through the gateway can be served.
    readiness: gatewayReadiness({
      redisReady: async () => (await deps.redis.ping()) === 'PONG',
      upstreams,
      timeoutMs: config.UPSTREAM_READY_TIMEOUT_MS,
    }),
  });
  const origins = config.CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  await app.register(cors, {
    origin: origins.includes('*') ? true : origins,
    credentials: false,
    methods: CORS_METHODS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
  });
  standardRateLimitHeaders(app, RATE_LIMIT_WINDOW_MS / 1000);
  // The credential routes: their own limit, on the normalized path, failing closed without Redis.
  strictRateLimit(app, {
    redis: deps.redis,
    prefix: config.QUEUE_PREFIX,
    max: config.AUTH_RATE_LIMIT_PER_MINUTE,
    windowMs: RATE_LIMIT_WINDOW_MS,
    trustedHops: config.TRUSTED_PROXY_HOPS,
  });
  await app.register(rateLimit, {
    redis: deps.redis,
    // Under the environment's Redis key prefix, so environments sharing one Redis count apart.
    nameSpace: `${config.QUEUE_PREFIX}:gateway-rl:`,
    skipOnError: true,
    timeWindow: RATE_LIMIT_WINDOW_MS,
    max: config.RATE_LIMIT_PER_MINUTE,
    keyGenerator: (request) =>
      `${clientIp(request.socket.remoteAddress, request.headers['x-forwarded-for'], config.TRUSTED_PROXY_HOPS)}:api`,
    // The credential routes are counted by strictRateLimit above.
    allowList: (request) => ['/healthz', '/readyz'].includes(request.url) || isSensitivePath(request.url),
    errorResponseBuilder: () => new AppError('RATE_LIMITED'),
  });
  await app.register(docsRoutes, { upstreams });
  await app.register(eventsDocsRoutes);
  await app.register(proxyRoutes, {
    upstreams,
    bodyLimits,
    uploadLimit: config.IMPORT_BODY_LIMIT_BYTES,
    verifier: deps.verifier,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    exchangeApiKey: apiKeyExchange(config.AUTH_URL),
    clientAddress: (request) =>
      clientIp(request.socket.remoteAddress, request.headers['x-forwarded-for'], config.TRUSTED_PROXY_HOPS),
  });
  return app;
}
