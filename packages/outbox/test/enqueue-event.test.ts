import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inTransaction } from '@invoice/platform-db';
import { enqueueEvent, MAX_EVENT_BYTES } from '../src/index.ts';
import { outboxRows, startHarness, thingEvent, type Harness } from './support/outbox-harness.ts';

describe('enqueueEvent', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('writes a valid event to the outbox inside the caller transaction', async () => {
    const event = thingEvent('019a0000-0000-7000-8000-000000000001', 'valid');
    await inTransaction(h.orm, (em) => enqueueEvent(em, event));
    const row = (await outboxRows(h.orm)).find((r) => r.id === event.id);
    assert.ok(row);
    assert.equal(row.published_at, null);
    const [stored] = await h.orm.em
      .fork()
      .execute<{ subject: string; payload: unknown }[]>(
        `select subject, payload from "outbox_test".outbox where id = ?`,
        [event.id],
      );
    assert.equal(stored?.subject, event.type);
    assert.deepEqual(stored?.payload, event);
  });

  it('refuses an event too large for NATS with DOCUMENT_TOO_LARGE, writing nothing', async () => {
    const event = thingEvent('019a0000-0000-7000-8000-000000000009', 'x'.repeat(MAX_EVENT_BYTES));
    await assert.rejects(
      inTransaction(h.orm, (em) => enqueueEvent(em, event)),
      (error: { code?: string }) => error.code === 'DOCUMENT_TOO_LARGE',
    );
    assert.equal(
      (await outboxRows(h.orm)).some((r) => r.id === event.id),
      false,
    );
  });

  it('refuses to run outside a transaction', async () => {
    const event = thingEvent('019a0000-0000-7000-8000-000000000002', 'no transaction');
    await assert.rejects(enqueueEvent(h.orm.em.fork(), event), /must run inside a transaction/);
    assert.equal(
      (await outboxRows(h.orm)).some((r) => r.id === event.id),
      false,
    );
  });

  it('refuses an event that breaks its contract, naming the failing field', async () => {
    const event = thingEvent('019a0000-0000-7000-8000-000000000003', 'broken');
    const broken = { ...event, data: { client: { id: 'not-a-uuid', name: 'x', version: 0 } } };
    await assert.rejects(
      inTransaction(h.orm, (em) => enqueueEvent(em, broken)),
      (error: Error) => /breaks its contract/.test(error.message) && /\/data\/client\/id/.test(error.message),
    );
    await assert.rejects(
      inTransaction(h.orm, (em) => enqueueEvent(em, { ...event, type: 'catalog.thing.made.v1' })),
      /unknown event type/,
    );
    assert.equal(
      (await outboxRows(h.orm)).some((r) => r.id === event.id),
      false,
    );
  });

  it('refuses the same event id twice (an event is enqueued once)', async () => {
    const event = thingEvent('019a0000-0000-7000-8000-000000000004', 'twice');
    await inTransaction(h.orm, (em) => enqueueEvent(em, event));
    await assert.rejects(
      inTransaction(h.orm, (em) => enqueueEvent(em, event)),
      /duplicate key|unique/i,
    );
  });
});
