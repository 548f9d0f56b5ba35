/**
 * The merged OpenAPI document of every service (`/docs/openapi.json`) and a Swagger UI at `/docs`
 * that renders it. Each service generates its own document from its route schemas (with the
 * platform's conventions, see packages/http `openapi.ts`); the gateway merges them and states which
 * operations need no token, from the same table its proxy uses.
 */
import swaggerUi from '@fastify/swagger-ui';
import type { App } from '@invoice/platform-http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { mergeOpenApi, type OpenApiDocument } from '../domain/openapi-merge.ts';
import type { Upstream } from '../domain/routing.ts';

/** How long a merged document is served before the services are asked again. */
const CACHE_MS = 30_000;

/**
 * The merged document, fetched from the services at most every 30 s (a service that does not
 * answer is skipped, and the result is not cached until all have answered).
 */
function mergedDocumentSource(upstreams: Record<Upstream, string>) {
  let cached: { document: Record<string, unknown>; at: number } | undefined;
  return async (request: FastifyRequest): Promise<Record<string, unknown>> => {
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.document;
    const documents = await Promise.all(
      Object.entries(upstreams).map(async ([name, url]) => {
        try {
          const response = await fetch(`${url}/openapi.json`, { signal: AbortSignal.timeout(3_000) });
          return response.ok ? ((await response.json()) as OpenApiDocument) : undefined;
        } catch (error) {
          request.log.warn({ err: error, upstream: name }, 'openapi of a service unavailable');
          return undefined;
        }
      }),
    );
    const available = documents.filter((d): d is OpenApiDocument => d !== undefined);
    const document = mergeOpenApi(available, { title: 'Invoice platform API', version: '1.0.0' });
    cached = available.length === documents.length ? { document, at: Date.now() } : undefined;
    return document;
  };
}

/**
 * Registers `/docs/openapi.json` and the Swagger UI at `/docs`. The UI always loads the document
 * from its own `./json` (its `url` option is overridden by the plugin), so that route answers with
 * the merged document too, never with the gateway's own (empty) one.
 */
export async function docsRoutes(app: App, options: { upstreams: Record<Upstream, string> }): Promise<void> {
  const merged = mergedDocumentSource(options.upstreams);
  app.get('/docs/openapi.json', { schema: { hide: true } }, (request) => merged(request));
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { deepLinking: true, displayOperationId: true },
    uiHooks: {
      onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
        const path = request.url.split('?')[0];
        if (path === '/docs/json') return reply.send(await merged(request));
        // JSON is YAML (1.2), so the YAML view is the same merged document.
        if (path === '/docs/yaml') {
          return reply.type('application/yaml').send(JSON.stringify(await merged(request), null, 2));
        }
      },
    },
  });
}
