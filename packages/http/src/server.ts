import { randomUUID } from 'node:crypto';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawServerDefault,
} from 'fastify';
import helmet from '@fastify/helmet';
import underPressure from '@fastify/under-pressure';
import { AjvCompiler } from '@fastify/ajv-compiler';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Type } from 'typebox';
import { AppError, ProblemSchema } from '@invoice/contracts';
import type { Logger } from '@invoice/platform-logger';
import { clientErrorHandler, frameworkErrors, registerErrorHandling } from './errors.ts';
import { acceptEmptyJsonBodies } from './empty-json-body.ts';
import { acceptMergePatch, answerNotModified } from './conventions.ts';
import { completeOpenApi, namedComponents } from './openapi.ts';
import { CUSTOM_FORMATS } from './formats.ts';

/** A fastify instance with the TypeBox type provider. */
export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A named dependency check for `/readyz`. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean> | boolean;
}

/** Options of {@link createServer}. */
export interface ServerOptions {
  service: string;
  logger: Logger;
  version?: string;
  description?: string;
  readiness?: ReadinessCheck[];
  bodyLimit?: number;
}

const HealthSchema = Type.Object({
  status: Type.String(),
  checks: Type.Optional(Type.Record(Type.String(), Type.Boolean())),
});

const AJV_OPTIONS = {
  formats: CUSTOM_FORMATS,
  removeAdditional: false,
  useDefaults: true,
  allErrors: true,
  allowUnionTypes: true,
} as const;
const coercingCompilers = AjvCompiler();
const strictCompilers = AjvCompiler();

/**
 * Query strings, params and headers arrive as text, so their types are coerced; bodies are not:
 * a JSON number where a decimal string is expected must fail validation, never be rounded into a
 * string by the validator.
 */
function buildValidatorPerPart(externalSchemas: unknown, serverOptions: unknown) {
  const options = (serverOptions ?? {}) as { customOptions?: Record<string, unknown> };
  const coercing = coercingCompilers(
    externalSchemas as never,
    {
      ...options,
      customOptions: { ...options.customOptions, ...AJV_OPTIONS, coerceTypes: 'array' },
    } as never,
  );
  const strict = strictCompilers(
    externalSchemas as never,
    {
      ...options,
      customOptions: { ...options.customOptions, ...AJV_OPTIONS, coerceTypes: false },
    } as never,
  );
  return (route: { httpPart?: string }) =>
    route.httpPart === 'body' ? strict(route as never) : coercing(route as never);
}

/** Event-loop delay (ms) above which requests are shed with 503. */
const MAX_EVENT_LOOP_DELAY_MS = 2_000;

/**
 * The pressure handler of `@fastify/under-pressure`: refuses the request with 503, except for an
 * event-loop delay that is not a number. under-pressure reports `Infinity` when its histogram took
 * no sample in the last interval, which happens in a process's first second(s) when start-up work
 * (module loading, migrations) keeps the loop busy; that is "no measurement yet", not pressure, and
 * a real stall is measured as a finite delay in the next interval. Returning nothing lets the
 * request through.
 */
export function shedLoad(type: string, value: number | undefined): void {
  if (type === underPressure.TYPE_EVENT_LOOP_DELAY && !Number.isFinite(value)) return;
  throw new AppError('SERVICE_UNAVAILABLE', { detail: `Server under pressure (${type}: ${value})` });
}

/** Query parameters whose values never reach a log line (tokens, keys, signatures, codes). */
const SECRET_QUERY_PARAMETER = /token|secret|password|key|signature|credential|code|auth/i;

/** The request's URL as logged: the value of any query parameter that may be a secret is redacted. */
export function loggedUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const parts = url
    .slice(query + 1)
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      const name = equals < 0 ? part : part.slice(0, equals);
      return equals >= 0 && SECRET_QUERY_PARAMETER.test(name) ? `${name}=[redacted]` : part;
    });
  return `${url.slice(0, query)}?${parts.join('&')}`;
}

/**
 * The one log line of a request, written when its response is sent: method, URL (secrets
 * redacted), status, response time (ms) and, once authenticated, the caller's organization; the
 * request id comes with the request's logger (`reqId`). A 5xx is logged at `error`, anything else
 * at `info`.
 */
function logRequest(request: FastifyRequest, reply: FastifyReply): void {
  const statusCode = reply.statusCode;
  const line = {
    method: request.method,
    url: loggedUrl(request.url),
    statusCode,
    responseTime: Math.round(reply.elapsedTime * 10) / 10,
    ...(request.auth ? { orgId: request.auth.orgId } : {}),
  };
  if (statusCode >= 500) request.log.error(line, 'request completed');
  else request.log.info(line, 'request completed');
}

/** Creates a service's HTTP server (routes are registered by the caller; it never listens). */
export async function createServer(options: ServerOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestIdHeader: 'x-request-id',
    // Services sit behind the gateway (and the gateway behind an ingress) on private addresses:
    // trust X-Forwarded-For from those hops only, so request.ip is the client's.
    trustProxy: ['loopback', 'linklocal', 'uniquelocal'],
    genReqId: () => randomUUID(),
    // Refusals before routing and before a request exists are problem+json too.
    frameworkErrors,
    clientErrorHandler,
    schemaController: { compilersFactory: { buildValidator: buildValidatorPerPart as never } },
    routerOptions: { ignoreTrailingSlash: true },
    // One line per request, written when it completes (see logRequest), instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', (request, reply, done) => {
    logRequest(request, reply);
    done();
  });
  // Shed load with 503 instead of queueing requests when the event loop is saturated.
  await app.register(underPressure, {
    maxEventLoopDelay: MAX_EVENT_LOOP_DELAY_MS,
    exposeStatusRoute: false,
    pressureHandler: (_request, _reply, type, value) => shedLoad(type, value),
  });
  await app.register(helmet, { contentSecurityPolicy: false, global: true });
  await app.register(swagger, {
    refResolver: namedComponents,
    // Built once (the plugin caches the document), so the conventions cost nothing per request.
    transformObject: (documentObject) =>
      completeOpenApi(
        (documentObject as unknown as { openapiObject: Record<string, unknown> }).openapiObject,
      ) as never,
    openapi: {
      openapi: '3.1.0',
      info: {
        title: `${options.service} API`,
        version: options.version ?? '0.1.0',
        description: options.description ?? '',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
  });
  app.addSchema(ProblemSchema);
  registerErrorHandling(app);
  acceptEmptyJsonBodies(app);
  acceptMergePatch(app);
  answerNotModified(app);

  app.get('/healthz', { schema: { hide: true, response: { 200: HealthSchema } } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { schema: { hide: true, response: { 200: HealthSchema, 503: HealthSchema } } },
    async (_request, reply) => {
      // Every check at once: the answer takes as long as the slowest, not their sum.
      const results = await Promise.all(
        (options.readiness ?? []).map(async ({ name, check }) => {
          const ready = await Promise.resolve()
            .then(check)
            .catch(() => false);
          return [name, ready === true] as const;
        }),
      );
      const checks: Record<string, boolean> = Object.fromEntries(results);
      const ready = Object.values(checks).every(Boolean);
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    },
  );
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return app as unknown as App;
}
