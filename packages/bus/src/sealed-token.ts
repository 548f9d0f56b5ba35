/**
 * One-time tokens (email verification, password reset, invitation) travel on the bus sealed for the
 * notification service: AES-256-GCM under a key only auth and notification hold (`BUS_TOKEN_KEY`),
 * so no other subscriber of the AUTH stream can read them. A value without the `sealed.v1.` prefix is
 * passed through (auth without a key: development only).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { PermanentError } from './consumer.ts';

const PREFIX = 'sealed.v1.';

function keyOf(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** Seals `token` with `secret` (unchanged when `secret` is empty). */
export function sealToken(token: string, secret: string): string {
  if (!secret) return token;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secret), iv);
  const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${PREFIX}${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

/** Opens a sealed token; a value that was never sealed is returned as it is. */
export function openToken(value: string, secret: string): string {
  if (!value.startsWith(PREFIX)) return value;
  if (!secret) throw new PermanentError('a sealed token arrived but BUS_TOKEN_KEY is not set');
  const [ivText, sealedText] = value.slice(PREFIX.length).split('.');
  try {
    const sealed = Buffer.from(sealedText ?? '', 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', keyOf(secret), Buffer.from(ivText ?? '', 'base64url'));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - 16)),
      decipher.final(),
    ]).toString('utf8');
  } catch (error) {
    throw new PermanentError('a sealed token does not open with BUS_TOKEN_KEY', { cause: error });
  }
}
