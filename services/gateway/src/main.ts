/** Gateway process: listens on PORT and proxies to the services. */
import { Redis } from 'ioredis';
import { createJwtVerifier } from '@invoice/platform-http';
import { createLogger } from '@invoice/platform-logger';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';

const config = readConfig();
const logger = createLogger('gateway', config.LOG_LEVEL);
const redis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
const verifier = createJwtVerifier({
  jwksUrl: config.AUTH_JWKS_URL,
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
});

try {
  const app = await buildApp({ config, logger, redis, verifier });
  await app.listen({ host: config.HOST, port: config.PORT });
  logger.info({ port: config.PORT }, 'gateway started');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, async () => {
      logger.info('shutting down');
      await app.close();
      redis.disconnect();
      process.exit(0);
    });
  }
} catch (error) {
  logger.fatal({ err: error }, 'failed to start');
  process.exit(1);
}
