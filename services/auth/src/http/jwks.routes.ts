/** The public keys that verify access tokens (RFC 7517), for every service and the gateway. */
import { JwksResponseSchema } from '@invoice/contracts';
import type { RoutePlugin } from '@invoice/platform-http';
import type { Deps } from '../deps.ts';

/** GET /.well-known/jwks.json (registered under the /.well-known prefix). */
export function jwksRoutes(deps: Pick<Deps, 'keys'>): RoutePlugin {
  return async (app) => {
    app.get(
      '/jwks.json',
      {
        schema: {
          tags: ['auth'],
          summary: 'Public keys (JWKS) that verify access tokens: the active key and recently retired ones',
          response: { 200: JwksResponseSchema },
        },
      },
      // Short cache: verifiers refetch on an unknown kid, and a rotated key must show up quickly.
      async (_request, reply) =>
        reply.header('cache-control', 'public, max-age=60').send({ keys: await deps.keys.publicKeys() }),
    );
  };
}
