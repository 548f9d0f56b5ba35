import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { AppError, ErrorCodes, statusForKind, type Problem } from '@invoice/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

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
    ...(error.errors.length > 0 ? { errors: error.errors } : {}),
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
 * more specific issue exists.
 */
function meaningfulIssues(issues: ValidationIssue[]): ValidationIssue[] {
  const isNoise = (issue: ValidationIssue) =>
    issue.keyword === 'anyOf' || (issue.keyword === 'type' && issue.params?.type === 'null');
  const specific = issues.filter((issue) => !isNoise(issue));
  return specific.length > 0 ? specific : issues;
}

/** Converts anything thrown by a route (or by fastify itself) into an AppError. */
export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError & {
    validation?: ValidationIssue[];
    validationContext?: string;
  };
  if (fastifyError?.validation) {
    const where = fastifyError.validationContext ?? 'body';
    return new AppError('VALIDATION_FAILED', {
      detail: `The ${where} is not valid`,
      errors: meaningfulIssues(fastifyError.validation).map((issue) => ({
        field: fieldPointer(where, issue),
        message: issue.message ?? 'is not valid',
      })),
    });
  }
  const code = fastifyError?.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE');
  if (code?.startsWith('FST_ERR_CTP_') || fastifyError?.statusCode === 400) {
    return new AppError('MALFORMED_REQUEST', {
      detail:
        code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
          ? 'Unsupported content type'
          : 'The body could not be parsed',
    });
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

function fieldPointer(
  where: string,
  issue: { instancePath: string; params?: Record<string, unknown> },
): string {
  const missing =
    issue.params?.missingProperty ?? (issue.params?.requiredProperties as string[] | undefined)?.[0];
  const extra = issue.params?.additionalProperty;
  const leaf = missing ?? extra;
  const path = `${issue.instancePath}${leaf ? `/${String(leaf)}` : ''}`;
  return where === 'body' ? path || '/' : `${where}:${path || '/'}`;
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
  app.setErrorHandler((error, request, reply) => {
    const appError = asAppError(error);
    if (appError.kind === 'internal') {
      request.log.error({ err: error }, 'unhandled error');
    } else if (appError.kind === 'unavailable') {
      request.log.warn({ err: error }, 'dependency unavailable');
    }
    return sendProblem(reply, appError, request);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, new AppError('ROUTE_NOT_FOUND'), request));
}

/** Sends an application error as problem+json. */
export function sendProblem(reply: FastifyReply, error: AppError, request: FastifyRequest): FastifyReply {
  const problem = toProblem(error, request);
  // A dependency that is down is usually back within seconds: say when to try again.
  if (problem.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', '1');
  return reply.status(problem.status).type('application/problem+json').send(problem);
}
