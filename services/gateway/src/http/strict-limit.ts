/**
 * The strict limit on the credential and email routes (sign-up, login, refresh, password reset and
 * change, verification, invitations): counted per client in Redis for each fixed window, on the
 * normalized path, and **fail closed**: when Redis cannot count, these routes answer 503 instead of
 * going unlimited. (The general API limit keeps failing open: an outage there only costs the limit.)
 */
import { AppError } from '@invoice/contracts';
import type { App } from '@invoice/platform-http';
import type { Redis } from 'ioredis';
import { clientIp } from '../domain/client-ip.ts';
import { isSensitivePath } from '../domain/routing.ts';

/** What {@link strictRateLimit} counts with. */
export interface StrictLimitOptions {
  redis: Redis;
  /** Redis key prefix (the environment's). */
  prefix: string;
  max: number;
  windowMs: number;
  trustedHops: number;
}

/** Adds the onRequest hook; the limiter's headers are rewritten like the general limiter's. */
export function strictRateLimit(app: App, options: StrictLimitOptions): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!isSensitivePath(request.url)) return;
    const client = clientIp(
      request.socket.remoteAddress,
      request.headers['x-forwarded-for'],
      options.trustedHops,
    );
    const key = `${options.prefix}:gateway-strict:${client}`;
    let count: number;
    let ttlMs: number;
    try {
      const results = await options.redis
        .multi()
        .set(key, '0', 'PX', options.windowMs, 'NX')
        .incr(key)
        .pttl(key)
        .exec();
      if (!results || results.some(([error]) => error)) throw new Error('rate limit count failed');
      count = Number(results[1]![1]);
      ttlMs = Math.max(0, Number(results[2]![1]));
    } catch (error) {
      request.log.warn({ err: error }, 'strict rate limit unavailable; refusing');
      throw new AppError('SERVICE_UNAVAILABLE', {
        detail: 'The rate limiter is unavailable, so this route is closed; try again shortly',
      });
    }
    const resetSeconds = Math.ceil(ttlMs / 1000);
    reply.header('x-ratelimit-limit', options.max);
    reply.header('x-ratelimit-remaining', Math.max(0, options.max - count));
    reply.header('x-ratelimit-reset', resetSeconds);
    if (count > options.max) {
      reply.header('retry-after', resetSeconds);
      throw new AppError('RATE_LIMITED');
    }
  });
}
