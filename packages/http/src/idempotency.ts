/**
 * `Idempotency-Key` on POSTs (DESIGN §4): the first successful response to a key is stored; a
 * replay with the same body returns it again (with `Idempotent-Replayed: true`), a reuse with
 * another body is 422 IDEMPOTENCY_KEY_REUSED, and a replay while the first is still running is 409.
 * Keys are scoped by organization and user (or by client IP for unauthenticated routes), method and path.
 * Errors are not stored, so the client may retry after fixing the cause.
 */
import { createHash } from 'node:crypto';
import { AppError } from '@invoice/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** A stored outcome of a key. */
export interface IdempotencyRecord {
  requestHash: string;
  state: 'in_progress' | 'done';
  statusCode?: number;
  body?: string;
  headers?: Record<string, string>;
}

/** Where keys are kept (Postgres in the services: see `PgIdempotencyStore` in platform-db). */
export interface IdempotencyStore {
  /** Inserts an in-progress record; returns the existing one when the key is taken. */
  begin(scope: string, key: string, requestHash: string): Promise<IdempotencyRecord | undefined>;
  complete(
    scope: string,
    key: string,
    statusCode: number,
    body: string,
    headers: Record<string, string>,
  ): Promise<void>;
  release(scope: string, key: string): Promise<void>;
}

/** What an Idempotency-Key may look like. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{8,200}$/;
const REPLAYED_HEADERS = ['content-type', 'etag', 'location'];

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { scope: string; key: string };
  }
}

/**
 * Installs the hooks that store outcomes and returns the preHandler to put on each POST route that
 * creates or acts, after the authentication preHandler: `preHandler: [authenticate, idempotent]`.
 */
export function registerIdempotency(
  app: FastifyInstance,
  store: IdempotencyStore,
  options: IdempotencyOptions = {},
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined> {
  const fingerprint = options.fingerprint ?? defaultFingerprint;
  const preHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof key !== 'string') return undefined;
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
      throw AppError.field(
        'VALIDATION_FAILED',
        'header:/idempotency-key',
        'must be 8-200 characters of A-Z a-z 0-9 . _ : -',
      );
    }
    // Scoped by user as well: two members of one organization never see each other's outcomes.
    const caller = request.auth ? `${request.auth.orgId}:${request.auth.userId}` : `ip:${request.ip}`;
    const scope = `${caller} POST ${request.routeOptions.url ?? request.url}`;
    const requestHash = hashRequest(request, fingerprint);
    const existing = await store.begin(scope, key, requestHash);
    if (!existing) {
      request.idempotency = { scope, key };
      return undefined;
    }
    if (existing.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    if (existing.state === 'in_progress') throw new AppError('IDEMPOTENCY_KEY_IN_FLIGHT');
    return replay(reply, existing);
  };

  app.addHook('onSend', async (request, reply, payload) => {
    const idempotency = request.idempotency;
    if (!idempotency) return payload;
    request.idempotency = undefined;
    // Only successes are kept: every error here means nothing changed (the work is transactional),
    // so a retry after fixing the cause (a stale If-Match, an incomplete draft) must run again.
    // The answer goes out even when the store cannot be written (its database just went away):
    // an unreleased key is reclaimed once abandoned, and failing here would replace the answer.
    try {
      if (reply.statusCode >= 300 || typeof payload !== 'string') {
        await store.release(idempotency.scope, idempotency.key);
        return payload;
      }
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      await store.complete(idempotency.scope, idempotency.key, reply.statusCode, payload, headers);
    } catch (error) {
      request.log.warn({ err: error, status: reply.statusCode }, 'idempotency outcome not stored');
    }
    return payload;
  });

  // A request that failed before sending (e.g. a crash in a hook) must not hold its key forever.
  app.addHook('onError', async (request) => {
    if (request.idempotency && request.raw.destroyed)
      await store.release(request.idempotency.scope, request.idempotency.key);
  });
  return preHandler;
}

/** Options of {@link registerIdempotency}. */
export interface IdempotencyOptions {
  /**
   * What identifies "the same request" besides the URL: by default the whole body. Routes whose
   * body holds a secret (a password) leave it out, so no fast hash of it is ever stored.
   */
  fingerprint?: (request: FastifyRequest) => unknown;
}

const defaultFingerprint = (request: FastifyRequest): unknown => request.body ?? null;

function hashRequest(request: FastifyRequest, fingerprint: (request: FastifyRequest) => unknown): string {
  return createHash('sha256')
    .update(request.url)
    .update('\n')
    .update(JSON.stringify(fingerprint(request)))
    .digest('hex');
}

function replay(reply: FastifyReply, record: IdempotencyRecord): FastifyReply {
  for (const [name, value] of Object.entries(record.headers ?? {})) reply.header(name, value);
  reply.header('idempotent-replayed', 'true');
  return reply.status(record.statusCode ?? 200).send(record.body);
}
