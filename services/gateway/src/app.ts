/**
 * Builds the gateway: CORS, rate limits (Redis), JWT check, body limits, proxy, merged OpenAPI, and a
 * readiness that includes every upstream's. Never listens.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swaggerUi from '@fastify/swagger-ui';
import { AppError } from '@invoice/contracts';
import { createServer, type App } from '@invoice/platform-http';
import type { Deps } from './deps.ts';
import { isSensitivePath, type Upstream } from './domain/routing.ts';
import { proxyRoutes } from './http/proxy.routes.ts';
import { docsRoutes } from './http/docs.routes.ts';
import { gatewayReadiness } from './http/readiness.ts';

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
    exposedHeaders: ['x-request-id', 'etag', 'location', 'retry-after'],
  });
  await app.register(rateLimit, {
    redis: deps.redis,
    // Under the environment's Redis key prefix, so environments sharing one Redis count apart.
    nameSpace: `${config.QUEUE_PREFIX}:gateway-rl:`,
    skipOnError: true,
    timeWindow: 60_000,
    max: (request) =>
      isSensitivePath(request.url) ? config.AUTH_RATE_LIMIT_PER_MINUTE : config.RATE_LIMIT_PER_MINUTE,
    keyGenerator: (request) => `${request.ip}:${isSensitivePath(request.url) ? 'auth' : 'api'}`,
    allowList: (request) => ['/healthz', '/readyz'].includes(request.url),
    errorResponseBuilder: () => new AppError('RATE_LIMITED'),
  });
  await app.register(docsRoutes, { upstreams });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { url: '/docs/openapi.json' } });
  await app.register(proxyRoutes, {
    upstreams,
    bodyLimits,
    verifier: deps.verifier,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
  });
  return app;
}
