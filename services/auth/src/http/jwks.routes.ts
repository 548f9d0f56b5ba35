/** The public keys that verify access tokens (RFC 7517), for every service and the gateway. */
import { JwksResponseSchema } from '@invoice/contracts';
import type { App } from '@invoice/platform-http';
import type { SigningKeys } from '../crypto/signing-keys.ts';

/** Registers GET /.well-known/jwks.json. */
export function jwksRoutes(app: App, keys: SigningKeys): void {
  app.get(
    '/.well-known/jwks.json',
    {
      schema: {
        tags: ['auth'],
        summary: 'Public keys (JWKS) that verify access tokens: the active key and recently retired ones',
        response: { 200: JwksResponseSchema },
      },
    },
    // Short cache: verifiers refetch on an unknown kid, and a rotated key must show up quickly.
    async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=60').send({ keys: await keys.publicKeys() }),
  );
}
