/**
 * The gateway's composition root. It has no database and no bus (the runtime skips migrations,
 * streams and the outbox relay for it): only Redis for the rate limits and the JWKS verifier.
 */
import { Redis } from 'ioredis';
import { jwtVerifierFromConfig, type JwtVerifier } from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import type { Config } from './config.ts';

/** The service's name (logger base). */
export const SERVICE = 'gateway';

/** What the gateway is built from. */
export interface Deps {
  config: Readonly<Config>;
  logger: Logger;
  redis: Redis;
  verifier: JwtVerifier;
}

/** Opens the Redis connection (fail-fast: a rate-limit check never waits for Redis) and the verifier. */
export async function createDeps(config: Readonly<Config>, logger: Logger): Promise<Deps> {
  const redis = new Redis(config.REDIS_URL, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
  });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  // Connected before the gateway listens (like the services' database and bus): an unreachable
  // Redis at start-up is a start-up error, and the first `/readyz` already sees it ready.
  await redis.connect();
  return { config, logger, redis, verifier: jwtVerifierFromConfig(config) };
}

/** Closes what {@link createDeps} opened. */
export async function closeDeps(deps: Deps): Promise<void> {
  deps.redis.disconnect();
}
