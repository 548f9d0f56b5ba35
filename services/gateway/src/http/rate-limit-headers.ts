/**
 * The IETF rate-limit fields (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Policy` says the
 * quota of the policy that applies to the request (`"api";q=1200;w=60`), `RateLimit` what is left of
 * it and when it resets (`"api";r=1187;t=42`). `@fastify/rate-limit` counts and writes its
 * `x-ratelimit-*` headers; this rewrites them into the two fields, so a response carries one form.
 */
import type { App } from '@invoice/platform-http';
import { isSensitivePath } from '../domain/routing.ts';

const LIMIT = 'x-ratelimit-limit';
const REMAINING = 'x-ratelimit-remaining';
const RESET = 'x-ratelimit-reset';

/** The name of the policy that counts a path: `auth` for the strictly limited ones, else `api`. */
export function policyName(url: string): 'auth' | 'api' {
  return isSensitivePath(url) ? 'auth' : 'api';
}

/** The two header values for a policy, its quota, what remains and the seconds until it resets. */
export function rateLimitFields(
  policy: string,
  quota: number | string,
  remaining: number | string,
  resetSeconds: number | string,
  windowSeconds: number,
): { policy: string; limit: string } {
  return {
    policy: `"${policy}";q=${quota};w=${windowSeconds}`,
    limit: `"${policy}";r=${remaining};t=${resetSeconds}`,
  };
}

/** Rewrites the rate limiter's headers into `RateLimit` and `RateLimit-Policy` on every response. */
export function standardRateLimitHeaders(app: App, windowSeconds: number): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    const quota = reply.getHeader(LIMIT);
    if (quota === undefined) return done(null, payload);
    const fields = rateLimitFields(
      policyName(request.url),
      quota as number,
      (reply.getHeader(REMAINING) as number | undefined) ?? 0,
      (reply.getHeader(RESET) as number | undefined) ?? windowSeconds,
      windowSeconds,
    );
    reply.removeHeader(LIMIT).removeHeader(REMAINING).removeHeader(RESET);
    reply.header('ratelimit-policy', fields.policy).header('ratelimit', fields.limit);
    done(null, payload);
  });
}
