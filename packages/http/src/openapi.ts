/**
 * The platform's conventions applied to every service's generated OpenAPI document, once when it
 * is first built (never per request), so a new route complies without per-route work:
 *
 * - every operation has an `operationId` (from its method and path unless the route names one),
 *   a `summary` and a `description`, and tags that the document declares;
 * - error responses (4xx/5xx) are `application/problem+json` with the shared `Problem` component;
 * - every response has a description from its status instead of "Default Response";
 * - the headers a response carries are documented: `Location` on 201, `ETag` on answers of
 *   resources written with `If-Match`, `Idempotent-Replayed` where `Idempotency-Key` is accepted,
 *   `Allow` on 405, `Retry-After` on 503, `WWW-Authenticate` on 401;
 * - PATCH bodies are also accepted as `application/merge-patch+json`;
 * - components are named by their `$id` (`Problem`), not `def-0`.
 */

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** The reason phrase of each status the API answers (RFC 9110 §15), as a response description. */
const REASONS: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '202': 'Accepted: the work goes on in the background',
  '204': 'No Content',
  '302': 'Found: follow `Location`',
  '303': 'See Other: follow `Location`',
  '304': 'Not Modified: the representation named by `If-None-Match` is current',
  '400': 'Bad Request: the request is malformed or a field is not valid (`errors[]` names each)',
  '401': 'Unauthorized: no valid access token',
  '403': 'Forbidden: the caller lacks a permission this needs',
  '404': 'Not Found: no such resource in the caller’s organization',
  '405': 'Method Not Allowed (see `Allow`)',
  '409': 'Conflict: the resource is not in a state that allows this',
  '412': 'Precondition Failed: `If-Match` does not name the current version',
  '413': 'Content Too Large',
  '415': 'Unsupported Media Type',
  '422': 'Unprocessable Content: the request is well-formed but breaks a business rule',
  '428': 'Precondition Required: send `If-Match` with the current ETag',
  '429': 'Too Many Requests (see `Retry-After` and `RateLimit`)',
  '500': 'Internal Server Error',
  '503': 'Service Unavailable: a dependency is down or the server is overloaded; retry later',
};

/** Documented response headers, by name. */
export const RESPONSE_HEADERS: Record<string, Json> = {
  Location: { description: 'The URL of the created resource', schema: { type: 'string' } },
  ETag: {
    description: 'The version of the resource (strong); send it as `If-Match` to change it safely',
    schema: { type: 'string' },
  },
  'Idempotent-Replayed': {
    description:
      '`true` when this is the stored answer to an earlier request with the same `Idempotency-Key`',
    schema: { type: 'string', enum: ['true'] },
  },
  Allow: { description: 'The methods the resource supports', schema: { type: 'string' } },
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
  'WWW-Authenticate': {
    description: 'The Bearer challenge (RFC 6750)',
    schema: { type: 'string' },
  },
};

/** A stable operationId from method and path: `POST /v1/invoices/{id}/send` → `postInvoicesByIdSend`. */
export function operationIdFor(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((segment) => segment !== '' && !/^v\d+$/.test(segment))
    .flatMap((segment) => {
      const parameter = /^\{(.+)\}$/.exec(segment);
      const text = parameter ? `by-${parameter[1]}` : segment.replace(/^\./, '');
      return text.split(/[^A-Za-z0-9]+/).filter(Boolean);
    });
  return [method.toLowerCase(), ...words.map((word) => word.charAt(0).toUpperCase() + word.slice(1))].join(
    '',
  );
}

/** A summary for an operation that has none: the first sentence of its description, or method and path. */
function summaryFor(method: string, path: string, operation: Json): string {
  const description = typeof operation.description === 'string' ? operation.description.trim() : '';
  const sentence = description.split(/(?<=\.)\s|\n/)[0]?.replace(/\.$/, '');
  if (sentence && sentence.length <= 100) return sentence;
  return `${method.toUpperCase()} ${path}`;
}

function isProblemSchema(schema: unknown, components: Json): boolean {
  if (!schema || typeof schema !== 'object') return false;
  const ref = (schema as Json).$ref;
  if (typeof ref === 'string') {
    const name = ref.replace('#/components/schemas/', '');
    const target = components[name] as Json | undefined;
    return name === 'Problem' || target?.$id === 'Problem' || target?.title === 'Problem';
  }
  return (schema as Json).title === 'Problem';
}

function headerNames(operation: Json): Set<string> {
  const parameters = (operation.parameters as Json[] | undefined) ?? [];
  return new Set(parameters.filter((p) => p.in === 'header').map((p) => String(p.name).toLowerCase()));
}

/** Completes one response of an operation (description, media type of errors, headers). */
function completeResponse(
  status: string,
  response: Json,
  context: { components: Json; replays: boolean; versioned: boolean },
): Json {
  const result: Json = { ...response };
  if (!result.description || result.description === 'Default Response') {
    result.description = REASONS[status] ?? 'Response';
  }
  const content = result.content as Record<string, Json> | undefined;
  const error = Number(status) >= 400;
  // An error body is the Problem, whatever media type the route produces on success
  // (`produces: ['application/pdf']` puts every response under it).
  const problem = error
    ? Object.values(content ?? {}).find((media) => isProblemSchema(media.schema, context.components))
    : undefined;
  if (problem) result.content = { 'application/problem+json': problem };
  const headers: Json = { ...(result.headers as Json | undefined) };
  const success = Number(status) >= 200 && Number(status) < 300;
  if (status === '201') headers.Location ??= RESPONSE_HEADERS.Location;
  if (success && context.versioned && status !== '204') headers.ETag ??= RESPONSE_HEADERS.ETag;
  if (success && context.replays) headers['Idempotent-Replayed'] ??= RESPONSE_HEADERS['Idempotent-Replayed'];
  if (status === '401') headers['WWW-Authenticate'] ??= RESPONSE_HEADERS['WWW-Authenticate'];
  if (status === '405') headers.Allow ??= RESPONSE_HEADERS.Allow;
  if (status === '503' || status === '429') headers['Retry-After'] ??= RESPONSE_HEADERS['Retry-After'];
  if (Object.keys(headers).length > 0) result.headers = headers;
  return result;
}

const COMPONENT_NAME = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Moves every schema with a PascalCase `title` (`Invoice`, `Money`) into `components.schemas` under
 * that name and refers to it, so it is named and reused instead of repeated inline. A title already
 * taken by a different schema stays inline (names never silently change meaning).
 */
function hoistTitled(schema: unknown, components: Json): unknown {
  if (Array.isArray(schema)) return schema.map((item) => hoistTitled(item, components));
  if (!schema || typeof schema !== 'object') return schema;
  const inner: Json = {};
  for (const [key, value] of Object.entries(schema as Json)) {
    // `examples`/`default` are data, not schemas; `properties` maps names to schemas.
    inner[key] =
      key === 'examples' || key === 'default' || key === 'const' ? value : hoistTitled(value, components);
  }
  const title = inner.title;
  if (typeof title !== 'string' || !COMPONENT_NAME.test(title) || inner.$ref) return inner;
  const existing = components[title];
  if (existing === undefined) components[title] = inner;
  else if (JSON.stringify(existing) !== JSON.stringify(inner)) return inner;
  return { $ref: `#/components/schemas/${title}` };
}

/** Hoists the titled schemas of an operation's parameters, request body and responses. */
function hoistOperationSchemas(operation: Json, components: Json): Json {
  const next: Json = { ...operation };
  for (const key of ['parameters', 'requestBody', 'responses']) {
    if (operation[key] !== undefined) next[key] = hoistTitled(operation[key], components);
  }
  return next;
}

/**
 * Applies the conventions to a generated document (see the file comment). Pure: returns a new
 * document; idempotent, so the gateway may apply it again to a merged one.
 */
export function completeOpenApi(document: Json): Json {
  const components: Json = {
    ...(((document.components as Json | undefined)?.schemas as Json | undefined) ?? {}),
  };
  const paths = (document.paths as Record<string, Json> | undefined) ?? {};
  const tags = new Map<string, Json>();
  for (const tag of (document.tags as Json[] | undefined) ?? []) tags.set(String(tag.name), tag);
  const completedPaths: Record<string, Json> = {};
  for (const [path, item] of Object.entries(paths)) {
    // A resource written with If-Match is versioned: its reads and writes answer with its ETag.
    const versioned = METHODS.some((method) => headerNames((item[method] as Json) ?? {}).has('if-match'));
    const completed: Json = { ...item };
    for (const method of METHODS) {
      const declaredOperation = item[method] as Json | undefined;
      if (!declaredOperation) continue;
      const operation = hoistOperationSchemas(declaredOperation, components);
      const replays = headerNames(operation).has('idempotency-key');
      const responses: Json = {};
      const declared = { ...((operation.responses as Json | undefined) ?? {}) };
      // A GET answering with an ETag answers `If-None-Match` naming it with 304 (see conventions.ts).
      if (method === 'get' && versioned) declared['304'] ??= { description: REASONS['304'] };
      for (const [status, response] of Object.entries(declared)) {
        responses[status] = completeResponse(status, response as Json, { components, replays, versioned });
      }
      const next: Json = {
        ...operation,
        operationId: operation.operationId ?? operationIdFor(method, path),
        summary: operation.summary ?? summaryFor(method, path, operation),
        responses,
      };
      next.description ??= next.summary;
      const operationTags = (operation.tags as string[] | undefined) ?? [];
      if (operationTags.length === 0) {
        const resource = path.split('/').filter((s) => s && !/^v\d+$/.test(s))[0] ?? 'default';
        next.tags = [resource];
      }
      for (const tag of next.tags as string[])
        if (!tags.has(tag)) tags.set(tag, { name: tag, description: `Operations on ${tag}` });
      const body = operation.requestBody as Json | undefined;
      const bodyContent = body?.content as Record<string, Json> | undefined;
      if (
        method === 'patch' &&
        bodyContent?.['application/json'] &&
        !bodyContent['application/merge-patch+json']
      ) {
        next.requestBody = {
          ...body,
          content: { ...bodyContent, 'application/merge-patch+json': bodyContent['application/json'] },
        };
      }
      completed[method] = next;
    }
    completedPaths[path] = completed;
  }
  return {
    ...document,
    tags: [...tags.values()],
    paths: completedPaths,
    components: { ...(document.components as Json | undefined), schemas: components },
  };
}

/** Component names for `@fastify/swagger`: a schema's `$id` (`Problem`), else `def-<n>`. */
export const namedComponents = {
  buildLocalReference(json: Json, _baseUri: unknown, _fragment: unknown, i: number): string {
    return typeof json.$id === 'string' ? json.$id : `def-${i}`;
  },
};
