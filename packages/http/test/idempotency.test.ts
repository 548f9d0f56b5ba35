import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import {
  createOrm,
  idempotencyTableSql,
  Migration,
  migrate,
  PgIdempotencyStore,
  type MikroORM,
} from '@invoice/platform-db';
import { outboxEntities } from '@invoice/platform-outbox';
import { createTestDatabase, silentLogger, type TestDatabase } from '@invoice/platform-testing';
import { createServer, registerIdempotency, type App } from '../src/index.ts';

class CreateIdempotency extends Migration {
  override async up() {
    for (const sql of idempotencyTableSql()) this.addSql(sql);
  }
}

describe('Idempotency-Key on POST', () => {
  let database: TestDatabase;
  let orm: MikroORM;
  let app: App;
  let created = 0;
  let release: (() => void) | undefined;

  before(async () => {
    database = await createTestDatabase();
    orm = await createOrm({
      url: database.url,
      schema: 'svc',
      entities: outboxEntities,
      migrations: [{ name: 'm1', class: CreateIdempotency }],
    });
    await migrate(orm);
    app = await createServer({ service: 'test', logger: silentLogger() });
    const idempotent = registerIdempotency(app, new PgIdempotencyStore(orm));
    const authenticate = async (request: { headers: Record<string, unknown>; auth?: unknown }) => {
      request.auth = {
        userId: String(request.headers['x-user'] ?? 'u'),
        orgId: String(request.headers['x-org'] ?? 'org-a'),
        role: 'owner',
        permissions: [],
      };
    };
    app.post(
      '/things',
      {
        preHandler: [authenticate, idempotent],
        schema: {
          body: Type.Object({
            name: Type.String(),
            slow: Type.Optional(Type.Boolean()),
            fail: Type.Optional(Type.Boolean()),
          }),
        },
      },
      async (request, reply) => {
        if (request.body.slow) await new Promise<void>((resolve) => (release = resolve));
        if (request.body.fail) throw new Error('boom');
        if (request.body.name === 'conflict' && !request.headers['if-match']) {
          return reply.status(412).send({ code: 'PRECONDITION_FAILED' });
        }
        created += 1;
        return reply
          .status(201)
          .header('location', `/things/${created}`)
          .send({ id: created, name: request.body.name });
      },
    );
    await app.ready();
  });

  after(async () => {
    await app.close();
    await orm.close();
    await database.drop();
  });

  const post = (body: object, key?: string, org = 'org-a') =>
    app.inject({
      method: 'POST',
      url: '/things',
      payload: body,
      headers: { ...(key ? { 'idempotency-key': key } : {}), 'x-org': org },
    });

  it('returns the first response again for a replay and does the work once', async () => {
    const before = created;
    const first = await post({ name: 'a' }, 'key-replay-0001');
    const second = await post({ name: 'a' }, 'key-replay-0001');
    assert.equal(first.statusCode, 201);
    assert.equal(second.statusCode, 201);
    assert.equal(second.body, first.body);
    assert.equal(second.headers.location, first.headers.location);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.equal(created, before + 1);
  });

  it('rejects the same key with a different body with 422', async () => {
    await post({ name: 'a' }, 'key-reuse-0001');
    const reused = await post({ name: 'b' }, 'key-reuse-0001');
    assert.equal(reused.statusCode, 422);
    assert.equal(reused.json().code, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('keeps keys of different organizations apart', async () => {
    const before = created;
    await post({ name: 'a' }, 'key-shared-0001', 'org-a');
    const other = await post({ name: 'a' }, 'key-shared-0001', 'org-b');
    assert.equal(other.statusCode, 201);
    assert.equal(other.headers['idempotent-replayed'], undefined);
    assert.equal(created, before + 2);
  });

  it('answers 409 while the first request with the key is still running', async () => {
    const first = post({ name: 'slow', slow: true }, 'key-inflight-01');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const concurrent = await post({ name: 'slow', slow: true }, 'key-inflight-01');
    assert.equal(concurrent.statusCode, 409);
    assert.equal(concurrent.json().code, 'IDEMPOTENCY_KEY_IN_FLIGHT');
    release?.();
    assert.equal((await first).statusCode, 201);
  });

  it('lets a retry take over a key whose first request died in flight', async () => {
    const before = created;
    const em = orm.em.fork();
    const first = await post({ name: 'crash' }, 'key-abandon-01');
    assert.equal(first.statusCode, 201);
    // Make the stored outcome look like a request that crashed a while ago, before completing.
    await em.execute(
      `update svc.idempotency_keys set state = 'in_progress', created_at = now() - interval '5 minutes' where key = 'key-abandon-01'`,
    );
    const retried = await post({ name: 'crash' }, 'key-abandon-01');
    assert.equal(retried.statusCode, 201);
    assert.equal(retried.headers['idempotent-replayed'], undefined);
    assert.equal(created, before + 2);
  });

  it('does not store a server error, so the client can retry', async () => {
    const failed = await post({ name: 'x', fail: true }, 'key-failure-01');
    assert.equal(failed.statusCode, 500);
    assert.equal(failed.json().code, 'INTERNAL');
    assert.ok(!failed.body.includes('boom'), 'a 5xx never echoes its message');
    const retried = await post({ name: 'x', fail: true }, 'key-failure-01');
    assert.equal(retried.statusCode, 500);
    assert.equal(retried.headers['idempotent-replayed'], undefined);
  });

  it('does not store an error response, so a corrected retry runs', async () => {
    const before = created;
    const failed = await post({ name: 'conflict' }, 'key-precond-01');
    assert.equal(failed.statusCode, 412);
    const fixed = await app.inject({
      method: 'POST',
      url: '/things',
      payload: { name: 'conflict' },
      headers: { 'idempotency-key': 'key-precond-01', 'x-org': 'org-a', 'if-match': '"1"' },
    });
    assert.equal(fixed.statusCode, 201);
    assert.equal(fixed.headers['idempotent-replayed'], undefined);
    assert.equal(created, before + 1);
  });

  it('still answers when the outcome cannot be stored (the database went away mid-request)', async () => {
    const real = new PgIdempotencyStore(orm);
    const gone = () =>
      Promise.reject(Object.assign(new Error('the database system is shutting down'), { code: '57P03' }));
    const flaky = await createServer({ service: 'flaky', logger: silentLogger() });
    const idempotent = registerIdempotency(flaky, {
      begin: (scope, key, hash) => real.begin(scope, key, hash),
      release: gone,
      complete: gone,
    });
    flaky.post('/down', { preHandler: [idempotent] }, async () => gone());
    flaky.post('/up', { preHandler: [idempotent] }, async (_request, reply) =>
      reply.status(201).send({ ok: true }),
    );
    try {
      const down = await flaky.inject({
        method: 'POST',
        url: '/down',
        headers: { 'idempotency-key': 'key-gone-0001' },
      });
      assert.equal(down.statusCode, 503, down.body);
      assert.match(String(down.headers['content-type']), /^application\/problem\+json/);
      assert.equal(down.json().code, 'SERVICE_UNAVAILABLE');
      const up = await flaky.inject({
        method: 'POST',
        url: '/up',
        headers: { 'idempotency-key': 'key-gone-0002' },
      });
      assert.equal(up.statusCode, 201, up.body);
      assert.deepEqual(up.json(), { ok: true });
    } finally {
      await flaky.close();
    }
  });

  it('does nothing special without a key', async () => {
    const before = created;
    await post({ name: 'n' });
    await post({ name: 'n' });
    assert.equal(created, before + 2);
  });

  it('rejects a malformed key naming the header', async () => {
    const response = await post({ name: 'a' }, 'bad key!');
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().errors[0].field, '/idempotency-key');
    assert.equal(response.json().errors[0].in, 'header');
  });

  it('scopes keys by user too: another member of the organization reusing a key does the work anew', async () => {
    const key = `user-scope-${Date.now()}`;
    const as = (user: string) =>
      app.inject({
        method: 'POST',
        url: '/things',
        payload: { name: 'scoped' },
        headers: { 'idempotency-key': key, 'x-org': 'org-a', 'x-user': user },
      });
    const first = await as('alice');
    const other = await as('bob');
    assert.equal(first.statusCode, 201);
    assert.equal(other.statusCode, 201);
    assert.equal(other.headers['idempotent-replayed'], undefined);
    assert.notEqual(other.json().id, first.json().id);
    assert.equal((await as('alice')).headers['idempotent-replayed'], 'true');
  });
});
