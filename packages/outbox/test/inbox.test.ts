import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { newId, Streams, Subjects } from '@invoice/contracts';
import { Bus, startConsumers, type ConsumerDefinition } from '@invoice/platform-bus';
import { inTransaction } from '@invoice/platform-db';
import { waitFor } from '@invoice/platform-testing';
import { handleOnce, OutboxRelay } from '../src/index.ts';
import {
  createThing,
  effectsOf,
  recordEffect,
  startHarness,
  type Harness,
} from './support/outbox-harness.ts';

const CONSUMER = 'inbox-test-client-upserted';

describe('inbox', () => {
  let h: Harness;
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await h.close();
  });

  it('does not repeat the effect when a consumer dies after its effect and before its ack', async () => {
    const event = await inTransaction(h.orm, (em) => createThing(em, 'consumed once'));
    assert.equal(await new OutboxRelay(h.orm, h.bus, h.logger).relayOnce(), 1);

    // Replica 1 runs the effect, then its process "dies": the connection closes before the ack.
    const doomedBus = await Bus.connect({
      url: h.natsUrl,
      namespace: h.namespace,
      name: 'doomed',
      logger: h.logger,
    });
    let doomedCalls = 0;
    let bury: (error: Error) => void = () => undefined;
    const doomed: ConsumerDefinition = {
      durable: CONSUMER,
      subject: Subjects.ClientUpserted,
      async handle(received) {
        doomedCalls += 1;
        await handleOnce(h.orm, CONSUMER, received, (em) => recordEffect(em, CONSUMER, received.id));
        await doomedBus.nc.close();
        // Never returns, so never acks; rejected only at cleanup to end the loop.
        await new Promise((_, reject) => (bury = reject));
      },
    };
    const stopDoomed = await startConsumers(doomedBus, [doomed], { ackWaitMs: 1_000 });
    cleanups.push(async () => {
      bury(new Error('buried'));
      await stopDoomed();
    });
    await waitFor(async () => (await effectsOf(h.orm, event.id)).effects === 1, { what: 'the first effect' });

    // Replica 2 (a healthy process on the same durable) gets the redelivery after the ack wait.
    const healthyBus = await Bus.connect({
      url: h.natsUrl,
      namespace: h.namespace,
      name: 'healthy',
      logger: h.logger,
    });
    cleanups.push(() => healthyBus.close());
    const redeliveries: { deliveryCount: number; ranEffect: boolean }[] = [];
    const healthy: ConsumerDefinition = {
      durable: CONSUMER,
      subject: Subjects.ClientUpserted,
      async handle(received, context) {
        const ranEffect = await handleOnce(h.orm, CONSUMER, received, (em) =>
          recordEffect(em, CONSUMER, received.id),
        );
        redeliveries.push({ deliveryCount: context.deliveryCount, ranEffect });
      },
    };
    cleanups.push(await startConsumers(healthyBus, [healthy], { ackWaitMs: 1_000 }));

    await waitFor(() => redeliveries.length > 0, { what: 'the redelivery' });
    const stream = h.bus.streamName(Streams.CATALOG);
    await waitFor(
      async () => {
        const info = await h.bus.jsm.consumers.info(stream, h.bus.durableName(CONSUMER));
        return info.num_ack_pending === 0 && info.num_pending === 0;
      },
      { what: 'the redelivery to be acked' },
    );
    assert.equal(doomedCalls, 1);
    assert.deepEqual(redeliveries, [{ deliveryCount: 2, ranEffect: false }]);
    assert.deepEqual(await effectsOf(h.orm, event.id), { effects: 1, inbox: 1 });
  });

  it('reports a repeated event as already processed, per consumer', async () => {
    const event = { id: newId() };
    const effect = (consumer: string) =>
      handleOnce(h.orm, consumer, event, (em) => recordEffect(em, consumer, event.id));

    assert.equal(await effect('a'), true);
    assert.equal(await effect('a'), false);
    assert.equal(await effect('b'), true, 'another consumer of the same event has its own inbox entry');
    assert.deepEqual(await effectsOf(h.orm, event.id), { effects: 2, inbox: 2 });
  });

  it('leaves no inbox entry when the effect fails, so the retry runs the effect', async () => {
    const event = { id: newId() };
    await assert.rejects(
      handleOnce(h.orm, CONSUMER, event, async (em) => {
        await recordEffect(em, CONSUMER, event.id);
        throw new Error('effect failed halfway');
      }),
      /effect failed halfway/,
    );
    assert.deepEqual(await effectsOf(h.orm, event.id), { effects: 0, inbox: 0 });

    assert.equal(
      await handleOnce(h.orm, CONSUMER, event, (em) => recordEffect(em, CONSUMER, event.id)),
      true,
    );
    assert.deepEqual(await effectsOf(h.orm, event.id), { effects: 1, inbox: 1 });
  });

  it('runs the effect once when two deliveries of one event are handled at the same time', async () => {
    const event = { id: newId() };
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        handleOnce(h.orm, CONSUMER, event, async (em) => {
          await recordEffect(em, CONSUMER, event.id);
          await new Promise((resolve) => setTimeout(resolve, 50)); // hold the transaction open
        }),
      ),
    );
    assert.deepEqual(results.filter(Boolean).length, 1);
    assert.deepEqual(await effectsOf(h.orm, event.id), { effects: 1, inbox: 1 });
  });
});
