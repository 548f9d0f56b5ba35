/**
 * Typed, validated, frozen configuration. Only this module reads `process.env`; each service
 * declares the variables it needs as a TypeBox object and calls {@link loadConfig} once at start-up.
 */
import { Type, type Static, type TObject, type TProperties } from 'typebox';
import { Value } from 'typebox/value';

/** Raised when the environment does not satisfy a service's config schema; names each variable. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Reads the variables named by `schema` from `env`, converts them (numbers, booleans), applies
 * defaults, validates, and returns a deeply frozen object. Throws {@link ConfigError} naming every
 * missing or invalid variable.
 */
export function loadConfig<T extends TObject>(
  schema: T,
  env: Record<string, string | undefined> = process.env,
): Readonly<Static<T>> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const withDefaults = Value.Default(schema, raw);
  const converted = Value.Convert(schema, withDefaults);
  if (!Value.Check(schema, converted)) {
    const problems = [...Value.Errors(schema, converted)].map((error) => {
      const name =
        error.instancePath.replace(/^\//, '') ||
        (error.params as { requiredProperties?: string[] }).requiredProperties?.join(', ') ||
        '(root)';
      return `${name}: ${error.message}`;
    });
    throw new ConfigError(problems);
  }
  return deepFreeze(converted as Static<T>);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Variables every service shares: identity, logging, HTTP and the infrastructure URLs. */
export const CommonConfig = {
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  HOST: Type.String({ default: '127.0.0.1' }),
  /** What this process runs: api, worker (consumers + jobs), relay (outbox), all, or migrate (then exit). */
  ROLE: Type.Union(
    [
      Type.Literal('all'),
      Type.Literal('api'),
      Type.Literal('worker'),
      Type.Literal('relay'),
      Type.Literal('migrate'),
    ],
    {
      default: 'all',
    },
  ),
  DATABASE_URL: Type.String({ default: 'postgres://postgres@127.0.0.1:5432/invoice' }),
  NATS_URL: Type.String({ default: 'nats://127.0.0.1:4222' }),
  /** Prefix for subjects, stream names and durable names; isolates test runs and environments. */
  NATS_NAMESPACE: Type.String({ default: '', pattern: '^[a-z0-9_]*$' }),
  /** This service's NATS user (default: the service name) and password; unset for an open NATS. */
  NATS_USER: Type.String({ default: '' }),
  NATS_PASSWORD: Type.String({ default: '' }),
  /** TLS to NATS: the CA of the server's certificate, and a client certificate and key if required. */
  NATS_TLS_CA_FILE: Type.String({ default: '' }),
  NATS_TLS_CERT_FILE: Type.String({ default: '' }),
  NATS_TLS_KEY_FILE: Type.String({ default: '' }),
  AUTH_JWKS_URL: Type.String({ default: 'http://127.0.0.1:8081/.well-known/jwks.json' }),
  JWT_ISSUER: Type.String({ default: 'invoice-platform' }),
  JWT_AUDIENCE: Type.String({ default: 'invoice-api' }),
} satisfies TProperties;

/** Variables of services that use BullMQ. */
export const QueueConfig = {
  REDIS_URL: Type.String({ default: 'redis://127.0.0.1:6379' }),
  /** BullMQ key prefix; isolates test runs and environments sharing one Redis. */
  QUEUE_PREFIX: Type.String({ default: 'bull' }),
} satisfies TProperties;

/** Variables of services that use S3. */
export const S3Config = {
  S3_ENDPOINT: Type.String({ default: 'http://127.0.0.1:4569' }),
  /** Endpoint used in presigned URLs handed to clients; defaults to S3_ENDPOINT. */
  S3_PUBLIC_ENDPOINT: Type.Optional(Type.String()),
  S3_REGION: Type.String({ default: 'us-east-1' }),
  S3_BUCKET: Type.String({ default: 'invoice-documents' }),
  S3_ACCESS_KEY_ID: Type.String({ default: 'S3RVER' }),
  S3_SECRET_ACCESS_KEY: Type.String({ default: 'S3RVER' }),
} satisfies TProperties;

export { Type };
export type { Static };
