/**
 * The merged public OpenAPI document: each service's document side by side, plus what the gateway
 * itself does to every request. Pure, so it is unit-tested; `http/docs.routes.ts` serves it.
 */
import { ProblemSchema } from '@invoice/contracts';
import { isPublicPath } from './routing.ts';

/** A service's OpenAPI document, as far as the merge reads it. */
export interface OpenApiDocument {
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown> | undefined>;
  tags?: { name: string; description?: string }[];
}

/** The shared error body, in case no service document brought it. */
const { $id: _id, ...problemSchema } = ProblemSchema as unknown as Json;

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/** A path template as a concrete path the routing table can match (`{id}` → `x`). */
function samplePath(template: string): string {
  return template.replace(/\{[^}]+\}/g, 'x');
}

type Json = Record<string, unknown>;

const problem = (description: string, headers?: Json): Json => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** The IETF rate-limit fields the gateway adds to every response (see `rate-limit-headers.ts`). */
const RATE_LIMIT_HEADERS = {
  RateLimit: { $ref: '#/components/headers/RateLimit' },
  'RateLimit-Policy': { $ref: '#/components/headers/RateLimit-Policy' },
};

const HEADER_COMPONENTS: Json = {
  RateLimit: {
    description: 'What is left of the quota: `"api";r=<remaining>;t=<seconds until reset>`',
    schema: { type: 'string' },
  },
  'RateLimit-Policy': {
    description:
      'The quota that applies: `"api";q=<requests>;w=<window seconds>` (`"auth"` for sign-in paths)',
    schema: { type: 'string' },
  },
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
};

/**
 * What the gateway adds to each operation, so the document says what the proxy does: `security`
 * from the public-path table (`[]` for the open ones, OpenAPI 3.1 §4.8.10.1), 401 where a token is
 * needed, 400 where there is input, 413/415 where there is a body, 429 (rate limits) and 503 (an
 * unreachable service), and the RateLimit fields on every response.
 */
function completeOperation(operation: Json, open: boolean): Json {
  const responses: Json = { ...(operation.responses as Json | undefined) };
  const hasInput = Boolean(operation.requestBody) || ((operation.parameters as unknown[]) ?? []).length > 0;
  if (hasInput) responses['400'] ??= problem('Bad Request: a field is not valid (`errors[]` names each)');
  if (!open) {
    responses['401'] ??= problem('Unauthorized: no valid access token', {
      'WWW-Authenticate': { description: 'The Bearer challenge (RFC 6750)', schema: { type: 'string' } },
    });
  }
  if (operation.requestBody) {
    responses['413'] ??= problem('Content Too Large');
    responses['415'] ??= problem('Unsupported Media Type');
  }
  responses['429'] ??= problem('Too Many Requests (see `Retry-After` and `RateLimit`)', {
    'Retry-After': { $ref: '#/components/headers/Retry-After' },
  });
  responses['503'] ??= problem('Service Unavailable: retry later');
  for (const [status, response] of Object.entries(responses)) {
    const headers = { ...((response as Json).headers as Json | undefined), ...RATE_LIMIT_HEADERS };
    responses[status] = { ...(response as Json), headers };
  }
  return { ...operation, security: open ? [] : [{ bearerAuth: [] }], responses };
}

function withGatewayConventions(path: string, item: Json): Json {
  const open = isPublicPath(samplePath(path));
  const result: Json = {};
  for (const [key, value] of Object.entries(item)) {
    result[key] =
      HTTP_METHODS.has(key) && value && typeof value === 'object'
        ? completeOperation(value as Json, open)
        : value;
  }
  return result;
}

/** Merges service documents into one: paths, components and tags side by side. */
export function mergeOpenApi(
  documents: OpenApiDocument[],
  info: { title: string; version: string },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const components: Record<string, Record<string, unknown>> = {};
  const tags = new Map<string, { name: string; description?: string }>();
  for (const document of documents) {
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      paths[path] = { ...paths[path], ...withGatewayConventions(path, item) };
    }
    for (const [kind, entries] of Object.entries(document.components ?? {})) {
      if (kind === 'securitySchemes' || !entries) continue;
      components[kind] = { ...components[kind], ...entries };
    }
    for (const tag of document.tags ?? []) tags.set(tag.name, { ...tags.get(tag.name), ...tag });
  }
  return {
    openapi: '3.1.0',
    info: {
      ...info,
      description:
        'Invoice platform public API. Errors are RFC 9457 `application/problem+json` bodies with a stable `code`; validation errors name each failing field as a JSON pointer with where it was (`in`).',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'This gateway' }],
    security: [{ bearerAuth: [] }],
    tags: [...tags.values()].sort((a, b) => a.name.localeCompare(b.name)),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      ...components,
      schemas: { Problem: problemSchema, ...components.schemas },
      headers: { ...components.headers, ...HEADER_COMPONENTS },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token from `POST /v1/auth/login` or `POST /v1/auth/refresh`.',
        },
      },
    },
  };
}
