/**
 * Checks HTTP responses against an OpenAPI 3.1 document, as a client generated from it would
 * expect them: the status must be documented for the operation, the content type must be one of
 * that response's media types, and a JSON body must validate against its schema (JSON Schema
 * 2020-12, with `#/components/...` references resolved inside the document). Each schema is
 * compiled once, the first time a response needs it.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { CUSTOM_FORMATS } from '@invoice/platform-http';

type Json = Record<string, unknown>;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const DOCUMENT_ID = 'https://contract.invalid/openapi.json';

/** A response as received: its request's method and URL, status, content type and raw body. */
export interface ReceivedResponse {
  method: string;
  url: string;
  status: number;
  contentType: string | null;
  body: string;
}

/** The checker of one document. */
export interface OpenApiContract {
  /** Every way `response` breaks the document (empty when it conforms). */
  violations(response: ReceivedResponse): string[];
  /** The operation a request matches (`GET /v1/invoices/{id}`), or undefined. */
  operationFor(method: string, url: string): string | undefined;
}

interface PathMatcher {
  template: string;
  pattern: RegExp;
  parameters: number;
}

/** A path template (`/v1/invoices/{id}`) as an anchored expression. */
function matcherFor(template: string): PathMatcher {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return { template, pattern: new RegExp(`^${source}$`), parameters: (template.match(/\{/g) ?? []).length };
}

/** The media type without parameters (`application/json; charset=utf-8` → `application/json`). */
function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** Rewrites document-local references so they resolve against the registered document. */
function absoluteRefs(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema).replaceAll('"$ref":"#/', `"$ref":"${DOCUMENT_ID}#/`));
}

/** A checker of responses against `document` (an OpenAPI 3.1 document as served). */
export function openApiContract(document: Json): OpenApiContract {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // The platform's own formats (`iban`, `tax-id`), checked as the server checks them.
  for (const [name, format] of Object.entries(CUSTOM_FORMATS)) ajv.addFormat(name, format);
  ajv.addSchema({ $id: DOCUMENT_ID, components: document.components ?? {} });
  const paths = (document.paths ?? {}) as Record<string, Json>;
  // Literal segments win over parameters (`/v1/invoices/export` before `/v1/invoices/{id}`).
  const matchers = Object.keys(paths)
    .map(matcherFor)
    .sort((a, b) => a.parameters - b.parameters);
  const compiled = new Map<string, ValidateFunction>();

  const operationFor = (method: string, url: string) => {
    const path = new URL(url, 'http://x').pathname;
    const verb = method.toLowerCase();
    const matcher = matchers.find((m) => m.pattern.test(path) && paths[m.template]?.[verb]);
    return matcher ? `${method.toUpperCase()} ${matcher.template}` : undefined;
  };

  const violations = (response: ReceivedResponse): string[] => {
    const operationName = operationFor(response.method, response.url);
    if (!operationName) return [`${response.method} ${response.url}: no such operation in the document`];
    const [, template] = operationName.split(' ') as [string, string];
    const operation = paths[template]![response.method.toLowerCase()] as Json;
    const responses = (operation.responses ?? {}) as Record<string, Json>;
    const status = String(response.status);
    const documented = responses[status] ?? responses[`${status[0]}XX`] ?? responses.default;
    const where = `${operationName} → ${status}`;
    if (!documented)
      return [`${where}: status not documented (documented: ${Object.keys(responses).join(', ')})`];
    const content = (documented.content ?? {}) as Record<string, Json>;
    const mediaType = mediaTypeOf(response.contentType);
    if (response.body.length === 0) {
      return Object.keys(content).length > 0 && response.method !== 'HEAD' && status !== '304'
        ? [`${where}: empty body, documented as ${Object.keys(content).join(', ')}`]
        : [];
    }
    const media = content[mediaType];
    if (!media) {
      return [
        `${where}: content type ${mediaType || '(none)'} not documented (documented: ${Object.keys(content).join(', ') || 'no body'})`,
      ];
    }
    if (!isJson(mediaType) || !media.schema) return [];
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      return [`${where}: ${mediaType} body is not JSON`];
    }
    const key = `${operationName} ${status} ${mediaType}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(absoluteRefs(media.schema) as Json);
      compiled.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (error) => `${where}: ${error.instancePath || '(body)'} ${error.message ?? 'is not valid'}`,
    );
  };

  return { violations, operationFor };
}
