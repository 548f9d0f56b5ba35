import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  AppError,
  ErrorCodes,
  statusForKind,
  type FieldError,
  type FieldLocation,
  type Problem,
} from '@invoice/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allowedMethods, trackRouteMethods } from './methods.ts';

/** fastify's names of the parts of a request, as OpenAPI's parameter locations. */
const LOCATIONS: Record<string, FieldLocation> = {
  body: 'body',
  querystring: 'query',
  query: 'query',
  params: 'path',
  path: 'path',
  headers: 'header',
  header: 'header',
};

/** The parts of a request, as a person names them (for `detail`). */
const PART_NAMES: Record<FieldLocation, string> = {
  body: 'request body',
  query: 'query string',
  path: 'path',
  header: 'request headers',
};

const PREFIXED_FIELD = /^(body|querystring|query|params|path|headers|header):(.*)$/;

/**
 * A field error as answered: `field` a JSON pointer within its part and `in` the part. Fields
 * written the older way, `querystring:/cursor`, are split into the two.
 */
function located(error: FieldError): Problem['errors'] extends (infer E)[] | undefined ? E : never {
  const match = error.in ? null : PREFIXED_FIELD.exec(error.field);
  const where = error.in ?? (match ? LOCATIONS[match[1]!]! : 'body');
  const pointer = match ? match[2]! : error.field;
  return {
    field: pointer === '/' ? '' : pointer,
    in: where,
    message: error.message,
    ...(error.code ? { code: error.code } : {}),
  };
}

/** Builds the RFC 9457 body for an application error. */
export function toProblem(error: AppError, request?: FastifyRequest): Problem {
  const status = statusForKind[error.kind];
  return {
    type: `https://docs.invoice.local/errors/${error.code.toLowerCase().replaceAll('_', '-')}`,
    title: ErrorCodes[error.code].title,
    status,
    code: error.code,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(request ? { instance: request.url.split('?')[0], requestId: String(request.id) } : {}),
    ...(error.errors.length > 0 ? { errors: error.errors.map(located) } : {}),
  };
}

interface ValidationIssue {
  keyword?: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

/**
 * A bad value in a nullable field (`anyOf: [X, null]`) also yields "must be null" and "must match a
 * schema in anyOf" for the same place: noise that hides the real reason, so it is dropped when a
 * more specific issue exists. So is `if` ("must match "then" schema"), whose `then` issue is there.
 */
function meaningfulIssues(issues: ValidationIssue[]): ValidationIssue[] {
  const isNoise = (issue: ValidationIssue) =>
    issue.keyword === 'anyOf' ||
    issue.keyword === 'if' ||
    (issue.keyword === 'type' && issue.params?.type === 'null');
  const specific = issues.filter((issue) => !isNoise(issue));
  return specific.length > 0 ? specific : issues;
}

/** A validator message as a person reads it ("must have required property 'x'" → "is required"). */
function readableMessage(issue: ValidationIssue): string {
  if (issue.keyword === 'required' || issue.keyword === 'dependentRequired') return 'is required';
  if (issue.keyword === 'additionalProperties') return 'is not a known field';
  if (issue.keyword === 'format' && typeof issue.params?.format === 'string') {
    const format = issue.params.format;
    return `must be a valid ${format === 'iban' ? 'IBAN (shape and check digits)' : format}`;
  }
  if (issue.keyword === 'enum' && Array.isArray(issue.params?.allowedValues)) {
    const allowed = issue.params.allowedValues as unknown[];
    // A short list is worth reading; a long one (currencies, countries) is in the document.
    if (allowed.length <= 10) {
      return `must be equal to one of the allowed values: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
    }
  }
  return issue.message ?? 'is not valid';
}

/** The field a validator issue is about: a missing or unknown property is named itself. */
function issuePointer(issue: ValidationIssue): string {
  const missing =
    issue.params?.missingProperty ?? (issue.params?.requiredProperties as string[] | undefined)?.[0];
  const leaf = missing ?? issue.params?.additionalProperty;
  const escaped = leaf === undefined ? '' : `/${String(leaf).replaceAll('~', '~0').replaceAll('/', '~1')}`;
  return `${issue.instancePath}${escaped}`;
}

/** A validation failure of one part of a request as `VALIDATION_FAILED` with each failing field. */
function validationError(issues: ValidationIssue[], context: string | undefined): AppError {
  const where = LOCATIONS[context ?? 'body'] ?? 'body';
  const errors: FieldError[] = meaningfulIssues(issues).map((issue) => ({
    field: issuePointer(issue),
    in: where,
    message: readableMessage(issue),
  }));
  const first = errors[0];
  const subject = first?.field ? `${where === 'header' ? first.field.slice(1) : first.field} ` : '';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new AppError('VALIDATION_FAILED', {
    detail: `The ${PART_NAMES[where]} is not valid: ${subject}${first?.message ?? 'is not valid'}${more}`,
    errors,
  });
}

/** Converts anything thrown by a route (or by fastify itself) into an AppError. */
export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError & {
    validation?: ValidationIssue[];
    validationContext?: string;
  };
  if (fastifyError?.validation)
    return validationError(fastifyError.validation, fastifyError.validationContext);
  const code = fastifyError?.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE');
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fastifyError?.statusCode === 415) {
    return new AppError('UNSUPPORTED_MEDIA_TYPE', {
      detail: 'Send the body as application/json (application/merge-patch+json for PATCH)',
    });
  }
  if (code?.startsWith('FST_ERR_CTP_') || fastifyError?.statusCode === 400) {
    return new AppError('MALFORMED_REQUEST', { detail: 'The body could not be parsed' });
  }
  if (fastifyError?.statusCode === 429) return new AppError('RATE_LIMITED');
  if (fastifyError?.statusCode === 503) return new AppError('SERVICE_UNAVAILABLE');
  if (isDependencyUnavailable(error)) {
    return new AppError('SERVICE_UNAVAILABLE', {
      detail: 'A service this request needs cannot be reached right now; try again shortly',
      cause: error,
    });
  }
  return new AppError('INTERNAL', { cause: error });
}

/** Socket errors of a server that is down, restarting or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * True when `error` (or one of its causes) says a dependency is unreachable rather than that the
 * request or the code is wrong: a refused or reset connection, Postgres's connection-exception class
 * (SQLSTATE 08…), its shutdown and start-up codes (57P01–57P03), too many connections (53300), or a
 * client that lost its connection. Such a request is answered 503, never 500: it may succeed later.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
    const code = typeof candidate.code === 'string' ? candidate.code : '';
    if (NETWORK_CODES.has(code) || code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300') {
      return true;
    }
    if (candidate.name === 'ConnectionException') return true;
    const message = typeof candidate.message === 'string' ? candidate.message : '';
    if (
      /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
        message,
      )
    ) {
      return true;
    }
    current = candidate.cause;
  }
  return false;
}

/**
 * Fastify's refusals before routing, as problem+json: a malformed percent-escape in the path
 * (`MALFORMED_URL`, 400) and a path parameter over the router's length limit (`URI_TOO_LONG`, 414).
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  sendProblem(
    reply,
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppError('URI_TOO_LONG', { detail: 'A path parameter is longer than any identifier' })
      : new AppError('MALFORMED_URL', { detail: 'The URL path is not valid (a malformed percent-escape?)' }),
    request,
  );
}

/**
 * Errors of a connection before any request exists (headers over Node's limit, a request that did
 * not arrive in time, bytes that are not HTTP): answered as problem+json, then the connection is
 * closed, as Node itself would.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const appError =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new AppError('HEADERS_TOO_LARGE')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new AppError('REQUEST_TIMEOUT')
        : new AppError('MALFORMED_REQUEST', { detail: 'The request is not valid HTTP' });
  const problem = toProblem(appError);
  const body = JSON.stringify(problem);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\n` +
        `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** Installs the one error handler and the not-found handler (problem+json everywhere). */
export function registerErrorHandling(app: FastifyInstance): void {
  trackRouteMethods(app);
  app.setErrorHandler((error, request, reply) => {
    const appError = asAppError(error);
    if (appError.kind === 'internal') {
      request.log.error({ err: error }, 'unhandled error');
    } else if (appError.kind === 'unavailable') {
      request.log.warn({ err: error }, 'dependency unavailable');
    }
    return sendProblem(reply, appError, request);
  });
  app.setNotFoundHandler((request, reply) => {
    // A path that exists with other methods is 405 with `Allow` (RFC 9110 §15.5.6), not 404.
    const allow = allowedMethods(app, request.url);
    if (allow.length === 0) return sendProblem(reply, new AppError('ROUTE_NOT_FOUND'), request);
    reply.header('allow', allow.join(', '));
    return sendProblem(
      reply,
      new AppError('METHOD_NOT_ALLOWED', {
        detail: `${request.method} is not allowed here; use ${allow.join(', ')}`,
      }),
      request,
    );
  });
}

/**
 * Sends an application error as problem+json; a 401 carries the `WWW-Authenticate` challenge
 * (RFC 9110 §11.6.1, RFC 6750 §3), naming `invalid_token` when a token was sent.
 */
export function sendProblem(reply: FastifyReply, error: AppError, request: FastifyRequest): FastifyReply {
  const problem = toProblem(error, request);
  if (problem.status === 401) {
    reply.header(
      'www-authenticate',
      request.headers.authorization ? 'Bearer realm="api", error="invalid_token"' : 'Bearer realm="api"',
    );
  }
  // A dependency that is down is usually back within seconds: say when to try again.
  if (problem.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
  return reply.status(problem.status).type('application/problem+json').send(problem);
}
