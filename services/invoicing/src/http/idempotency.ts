/**
 * `Idempotency-Key` on POSTs (DESIGN §4): the first successful response to a key is stored and
 * replayed for any retry with the same request; the same key with another request is 422; a retry
 * while the first is still running is 409. Failed attempts release the key so the client can retry.
 */
import { createHash } from 'node:crypto';
import { AppError } from '@invoice/contracts';
import type { MikroORM } from '@invoice/platform-db';
import { getAuth } from '@invoice/platform-http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { table } from '../db/sql.ts';

/** A key still "in flight" after this long belongs to a crashed attempt and may be taken over. */
const ABANDONED_AFTER_SECONDS = 60;

interface KeyRow {
  request_hash: string;
  status_code: number | null;
  response_body: unknown;
  response_headers: Record<string, string> | string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey?: { orgId: string; key: string };
  }
}

/** Route hooks implementing idempotent POSTs. */
export function idempotencyHooks(orm: MikroORM) {
  async function preHandler(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '') return undefined;
    const { orgId } = getAuth(request);
    const hash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const em = orm.em.fork();
    const keys = table(em, 'idempotency_keys');
    const claimed = await em.execute<unknown[]>(
      `insert into ${keys} as k (org_id, key, request_hash) values (?, ?, ?)
       on conflict (org_id, key) do update set created_at = now(), request_hash = excluded.request_hash
       where k.status_code is null and k.created_at < now() - make_interval(secs => ?)
       returning key`,
      [orgId, key, hash, ABANDONED_AFTER_SECONDS],
    );
    if (claimed.length > 0) {
      request.idempotencyKey = { orgId, key };
      return undefined;
    }
    const [row] = await em.execute<KeyRow[]>(
      `select request_hash, status_code, response_body, response_headers from ${keys} where org_id = ? and key = ?`,
      [orgId, key],
    );
    if (!row) throw new AppError('IDEMPOTENCY_KEY_IN_FLIGHT');
    if (row.request_hash !== hash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
    if (row.status_code === null) throw new AppError('IDEMPOTENCY_KEY_IN_FLIGHT');
    const headers =
      typeof row.response_headers === 'string'
        ? JSON.parse(row.response_headers)
        : (row.response_headers ?? {});
    const body = typeof row.response_body === 'string' ? JSON.parse(row.response_body) : row.response_body;
    return reply
      .code(row.status_code)
      .headers({ ...headers, 'idempotent-replayed': 'true' })
      .send(body);
  }

  async function onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const claim = request.idempotencyKey;
    if (!claim) return payload;
    const em = orm.em.fork();
    const keys = table(em, 'idempotency_keys');
    if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
      const etag = reply.getHeader('etag');
      await em.execute(
        `update ${keys} set status_code = ?, response_body = ?, response_headers = ? where org_id = ? and key = ?`,
        [
          reply.statusCode,
          payload,
          JSON.stringify(typeof etag === 'string' ? { etag } : {}),
          claim.orgId,
          claim.key,
        ],
      );
    } else {
      await em.execute(`delete from ${keys} where org_id = ? and key = ? and status_code is null`, [
        claim.orgId,
        claim.key,
      ]);
    }
    return payload;
  }

  return { preHandler, onSend };
}
