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
  return new AppError('INTERNAL', { cause: error });
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
  return reply.status(problem.status).type('application/problem+json').send(problem);
}
