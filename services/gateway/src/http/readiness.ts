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

/**
 * Runs checks in parallel. `/readyz` (packages/http) awaits its checks one after another; with
 * these, the first call starts every check at once and each later call takes its own result from
 * that round. A round serves each check once: a check asked again (the next `/readyz`) starts a
 * new round, so every answer is probed afresh.
 */
export function inParallel(checks: ReadinessCheck[]): ReadinessCheck[] {
  let round: { results: Promise<Map<string, boolean>>; taken: Set<string> } | undefined;
  const start = () =>
    Promise.all(
      checks.map(async ({ name, check }) => {
        const ready = await Promise.resolve()
          .then(check)
          .catch(() => false);
        return [name, ready === true] as const;
      }),
    ).then((results) => new Map(results));
  const take = (name: string): Promise<boolean> => {
    if (!round || round.taken.has(name)) round = { results: start(), taken: new Set() };
    round.taken.add(name);
    return round.results.then((results) => results.get(name) === true);
  };
  return checks.map(({ name }) => ({ name, check: () => take(name) }));
}

/** The gateway's readiness checks: Redis and each upstream, in parallel, each bounded by `timeoutMs`. */
export function gatewayReadiness(options: {
  redisReady: () => Promise<boolean>;
  upstreams: Record<Upstream, string>;
  timeoutMs: number;
}): ReadinessCheck[] {
  const { timeoutMs } = options;
  return inParallel([
    withTimeout({ name: 'redis', check: options.redisReady }, timeoutMs),
    ...Object.entries(options.upstreams).map(([name, url]) => ({
      name,
      check: () => upstreamIsReady(url, timeoutMs),
    })),
  ]);
}
