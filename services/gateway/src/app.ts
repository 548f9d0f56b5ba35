/** Builds the gateway: CORS, rate limits (Redis), JWT check, proxy, merged OpenAPI. Never listens. */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swaggerUi from '@fastify/swagger-ui';
import type { Redis } from 'ioredis';
import { AppError } from '@invoice/contracts';
import { createServer, type App, type JwtVerifier } from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import type { Config } from './config.ts';
import { isSensitivePath, type Upstream } from './domain/routing.ts';
import { proxyRoutes } from './http/proxy.routes.ts';
import { docsRoutes } from './http/docs.routes.ts';

/** What the gateway is built from. */
export interface GatewayDeps {
  config: Config;
  logger: Logger;
  redis: Redis;
  verifier: JwtVerifier;
}

/** Creates the gateway app. */
export async function buildApp(deps: GatewayDeps): Promise<App> {
  const { config } = deps;
  const upstreams: Record<Upstream, string> = {
    auth: config.AUTH_URL,
    catalog: config.CATALOG_URL,
    invoicing: config.INVOICING_URL,
    document: config.DOCUMENT_URL,
    notification: config.NOTIFICATION_URL,
  };
  const app = await createServer({
    service: 'gateway',
    logger: deps.logger,
    readiness: [{ name: 'redis', check: async () => (await deps.redis.ping()) === 'PONG' }],
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
    nameSpace: 'gateway-rl:',
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
    verifier: deps.verifier,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
  });
  return app;
}
