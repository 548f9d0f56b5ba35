/**
 * API keys are usable wherever a bearer token is: the gateway exchanges a presented key
 * (`Bearer ik_…`) at the auth service for a short-lived access token and forwards that instead, so
 * the services only ever see access tokens. Exchanged tokens are remembered for at most a minute
 * (keyed by the key's SHA-256), so a revoked key stops within that minute at the gateway, and at
 * once at every service (its tokens' version is announced as stale).
 */
import { createHash } from 'node:crypto';
import { AppError } from '@invoice/contracts';

/** Keys start with this prefix. */
export const API_KEY_PREFIX = 'ik_';
const CACHE_MS = 60_000;
const CACHE_SIZE = 10_000;

/** Exchanges API keys for access tokens (through auth's `POST /v1/auth/api-key-token`). */
export function apiKeyExchange(authUrl: string, timeoutMs = 5_000): (apiKey: string) => Promise<string> {
  const cache = new Map<string, { token: string; until: number }>();
  return async (apiKey) => {
    const id = createHash('sha256').update(apiKey).digest('hex');
    const hit = cache.get(id);
    if (hit && hit.until > Date.now()) return hit.token;
    cache.delete(id);
    let response: Response;
    try {
      response = await fetch(`${authUrl}/v1/auth/api-key-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apiKey }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new AppError('SERVICE_UNAVAILABLE', {
        detail: 'API keys cannot be checked right now',
        cause: error,
      });
    }
    if (response.status === 400 || response.status === 401) {
      throw new AppError('UNAUTHENTICATED', { detail: 'The API key is invalid or revoked' });
    }
    if (!response.ok)
      throw new AppError('SERVICE_UNAVAILABLE', { detail: 'API keys cannot be checked right now' });
    const body = (await response.json()) as { accessToken: string; expiresIn: number };
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(id, {
      token: body.accessToken,
      until: Date.now() + Math.min(CACHE_MS, (body.expiresIn - 30) * 1000),
    });
    return body.accessToken;
  };
}
