/**
 * The merged OpenAPI document of every service (`/docs/openapi.json`) and a Swagger UI at `/docs`.
 * Each service generates its own document from its route schemas; the gateway only merges them.
 */
import type { App } from '@invoice/platform-http';
import type { Upstream } from '../domain/routing.ts';

interface OpenApiDocument {
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  tags?: { name: string }[];
}

/** Merges service documents into one: paths and component schemas side by side. */
export function mergeOpenApi(
  documents: OpenApiDocument[],
  info: { title: string; version: string },
): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  const tags = new Map<string, { name: string }>();
  for (const document of documents) {
    Object.assign(paths, document.paths ?? {});
    Object.assign(schemas, document.components?.schemas ?? {});
    for (const tag of document.tags ?? []) tags.set(tag.name, tag);
  }
  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description: 'Invoice platform public API. Errors are RFC 9457 problem+json with a stable `code`.',
    },
    servers: [{ url: '/' }],
    tags: [...tags.values()],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

/** How long a merged document is served before the services are asked again. */
const CACHE_MS = 30_000;

/**
 * Registers `/docs/openapi.json`, fetched from the services and merged at most every 30 s (a
 * service that does not answer is skipped, and the result is not cached until all have answered).
 */
export async function docsRoutes(app: App, options: { upstreams: Record<Upstream, string> }): Promise<void> {
  let cached: { document: Record<string, unknown>; at: number } | undefined;
  app.get('/docs/openapi.json', { schema: { hide: true } }, async (request) => {
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.document;
    const documents = await Promise.all(
      Object.entries(options.upstreams).map(async ([name, url]) => {
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
  });
}
