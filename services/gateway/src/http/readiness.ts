/**
 * The gateway's readiness: ready only when Redis answers and every upstream's own `/readyz` answers
 * 200, so "the gateway is ready" means a request through it can be served. Each upstream is its own
 * named check, so a 503 from `/readyz` names the one that is not ready.
 */
import type { ReadinessCheck } from '@invoice/platform-http';
import type { Upstream } from '../domain/routing.ts';

/** True when `GET {url}/readyz` answers 200 within `timeoutMs`. */
export async function upstreamIsReady(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** A check that answers false when `check` has not answered within `timeoutMs`. */
export function withTimeout(check: ReadinessCheck, timeoutMs: number): ReadinessCheck {
  return {
    name: check.name,
    check: () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const answer = Promise.resolve()
        .then(() => check.check())
        .catch(() => false);
      return Promise.race([answer, late]).finally(() => clearTimeout(timer));
    },
  };
}

/** The gateway's readiness checks: Redis and each upstream (`/readyz` runs them at once), each bounded by `timeoutMs`. */
export function gatewayReadiness(options: {
  redisReady: () => Promise<boolean>;
  upstreams: Record<Upstream, string>;
  timeoutMs: number;
}): ReadinessCheck[] {
  const { timeoutMs } = options;
  return [
    withTimeout({ name: 'redis', check: options.redisReady }, timeoutMs),
    ...Object.entries(options.upstreams).map(([name, url]) => ({
      name,
      check: () => upstreamIsReady(url, timeoutMs),
    })),
  ];
}
