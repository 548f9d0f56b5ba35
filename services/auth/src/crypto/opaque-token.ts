/** Opaque one-time and refresh tokens: random, URL-safe, stored only as their SHA-256. */
import { createHash, randomBytes } from 'node:crypto';

/** A new token with 256 bits of randomness, base64url (43 characters). */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The stored form of a token. A plain SHA-256 is enough (no salt or slow hash): the token has 256
 * random bits, so there is nothing to guess, and a lookup by hash stays an index hit.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** `from` plus a number of seconds. */
export function secondsAfter(from: Date, seconds: number): Date {
  return new Date(from.getTime() + seconds * 1000);
}
