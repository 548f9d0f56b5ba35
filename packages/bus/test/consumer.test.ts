import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEnvelope, newId, Streams, Subjects, type EventEnvelope } from '@invoice/contracts';
import { deleteNamespaceStreams, infrastructure, testNamespace, waitFor } from '@invoice/platform-testing';
import { Bus, PermanentError, startConsumers, type ConsumerDefinition } from '../src/index.ts';
import { memoryLogger } from '@invoice/platform-testing';

function deletedEvent(productId = newId()): EventEnvelope<{ productId: string }> {
  return createEnvelope({
    type: Subjects.ProductDeleted,
    source: 'bus-test',
    orgId: newId(),
    subject: productId,
    data: { productId },
  });
}

describe('durable consumers', () => {
  let natsUrl: string;
  const namespaces: string[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  before(async () => {
    natsUrl = (await infrastructure()).natsUrl;
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    for (const namespace of namespaces) await deleteNamespaceStreams(natsUrl, namespace);
  });

  /** A bus on a fresh namespace (its own stream), logging into memory. */
  async function world() {
    const namespace = testNamespace();
    namespaces.push(namespace);
    const { logger, lines } = memoryLogger();
    const bus = await Bus.connect({ url: natsUrl, namespace, name: 'bus-test', logger });
    cleanups.push(() => bus.close());
    await bus.ensureStreams([Streams.CATALOG]);
    const durable = 'product-deleted';
    return {
      bus,
      lines,
      /** Starts the consumer of catalog.product.deleted.v1; returns its stop function. */
      async consume(
        handle: ConsumerDefinition['handle'],
        concurrency?: number,
      ): Promise<() => Promise<void>> {
        const definition = {
          durable,
          subject: Subjects.ProductDeleted,
          handle,
          ...(concurrency ? { concurrency } : {}),
        };
        const stop = await startConsumers(bus, [definition], { ackWaitMs: 1_000 });
        cleanups.push(stop);
        return stop;
      },
      /** Nothing left to deliver and nothing awaiting an ack. */
      async settled(): Promise<boolean> {
        const info = await bus.jsm.consumers.info(bus.streamName(Streams.CATALOG), bus.durableName(durable));
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
    };
  }

  it('terminates and logs a message that fails its schema, and handles the next one', async () => {
    const { bus, lines, consume, settled } = await world();
    const seen: string[] = [];
    const poison = { ...deletedEvent(), data: { notAProductId: 'x' } };
    const valid = deletedEvent();
    // Raw publishes: a schema failure, a non-JSON body, then a valid event.
    await bus.js.publish(bus.subject(Subjects.ProductDeleted), JSON.stringify(poison));
    await bus.js.publish(bus.subject(Subjects.ProductDeleted), 'not json {');
    await bus.publish(valid);

    await consume(async (event) => {
      seen.push(event.id);
    });

    await waitFor(() => seen.includes(valid.id), { what: 'the valid event to be handled' });
    // Terminated, not merely left unacked: nothing waits for an ack or a redelivery.
    await waitFor(settled, { what: 'nothing pending or unacked' });
    assert.deepEqual(seen, [valid.id], 'the handler never saw the poison messages');
    const schemaLine = lines.find((line) => line.msg === 'event fails its contract schema; terminated');
    assert.equal(schemaLine?.eventId, poison.id);
    assert.equal(schemaLine?.consumer, 'product-deleted');
    assert.ok(Array.isArray(schemaLine?.problems) && schemaLine.problems.length > 0);
    assert.ok(lines.some((line) => line.msg === 'event is not JSON; terminated'));
  });

  it('terminates a message whose handler throws PermanentError, without retrying it', async () => {
    const { bus, lines, consume, settled } = await world();
    const calls: string[] = [];
    const doomed = deletedEvent();
    const next = deletedEvent();
    await bus.publish(doomed);
    await bus.publish(next);

    await consume(async (event) => {
      calls.push(event.id);
      if (event.id === doomed.id) throw new PermanentError('product is unknown');
    });

    await waitFor(() => calls.includes(next.id), { what: 'the next event' });
    await waitFor(settled, { what: 'nothing pending or unacked' });
    assert.deepEqual(calls, [doomed.id, next.id]);
    assert.ok(
      lines.some(
        (line) => line.msg === 'event cannot be processed; terminated' && line.eventId === doomed.id,
      ),
    );
  });

  it('redelivers a message whose handler fails transiently, with the delivery count, after a delay', async () => {
    const { bus, lines, consume, settled } = await world();
    const deliveries: number[] = [];
    const flaky = deletedEvent();
    await bus.publish(flaky);

    await consume(async (_event, context) => {
      deliveries.push(context.deliveryCount);
      if (context.deliveryCount === 1) throw new Error('database briefly unavailable');
    });

    await waitFor(() => deliveries.length === 2, { what: 'the redelivery' });
    await waitFor(settled);
    assert.deepEqual(deliveries, [1, 2]);
    const retry = lines.find(
      (line) => line.msg === 'event handling failed; will retry' && line.eventId === flaky.id,
    );
    assert.equal(retry?.retryInMs, 1_000);
  });

  it('skips an event whose type differs from the subject it arrived on', async () => {
    const { bus, consume, settled } = await world();
    const seen: string[] = [];
    const misrouted = { ...deletedEvent(), type: Subjects.ClientDeleted };
    const valid = deletedEvent();
    await bus.js.publish(bus.subject(Subjects.ProductDeleted), JSON.stringify(misrouted));
    await bus.publish(valid);

    await consume(async (event) => {
      seen.push(event.id);
    });

    await waitFor(() => seen.includes(valid.id));
    await waitFor(settled);
    assert.deepEqual(seen, [valid.id]);
  });

  /** Handlers that wait for `release()`; records how many ran at once. */
  function gatedHandler() {
    let running = 0;
    let gate = Promise.withResolvers<void>();
    const state = {
      peak: 0,
      handled: [] as string[],
      release: () => gate.resolve(),
      handle: async (event: EventEnvelope) => {
        running += 1;
        state.peak = Math.max(state.peak, running);
        await gate.promise;
        running -= 1;
        state.handled.push(event.id);
      },
      reset: () => {
        gate = Promise.withResolvers<void>();
      },
      get running() {
        return running;
      },
    };
    return state;
  }

  it('handles one message at a time by default, in stream order', async () => {
    const { bus, consume, settled } = await world();
    const events = Array.from({ length: 4 }, () => deletedEvent());
    for (const event of events) await bus.publish(event);
    const gated = gatedHandler();
    await consume(gated.handle);

    await waitFor(() => gated.running === 1, { what: 'the first message in hand' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(gated.running, 1, 'the next message waits for the first');
    gated.release();
    await waitFor(() => gated.handled.length === 4, { what: 'all four handled' });
    await waitFor(settled, { what: 'all acked' });
    assert.equal(gated.peak, 1);
    assert.deepEqual(
      gated.handled,
      events.map((event) => event.id),
    );
  });

  it('handles up to `concurrency` messages at once, acks each, and stops after the ones in hand', async () => {
    const { bus, consume, settled } = await world();
    const events = Array.from({ length: 7 }, () => deletedEvent());
    for (const event of events) await bus.publish(event);
    const gated = gatedHandler();
    const stop = await consume(gated.handle, 3);

    await waitFor(() => gated.running === 3, { what: 'three messages in hand' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(gated.running, 3, 'never more than three at once');
    gated.release();
    await waitFor(() => gated.handled.length === 7, { what: 'all seven handled' });
    await waitFor(settled, { what: 'all acked' });
    assert.equal(gated.peak, 3);
    assert.deepEqual([...gated.handled].sort(), events.map((event) => event.id).sort(), 'each handled once');

    // Stopping waits for the messages in hand and leaves them acked.
    gated.reset();
    const more = Array.from({ length: 2 }, () => deletedEvent());
    for (const event of more) await bus.publish(event);
    await waitFor(() => gated.running === 2, { what: 'two more in hand' });
    let stopped = false;
    const stopping = stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(stopped, false, 'stop waits for the handlers in progress');
    gated.release();
    await stopping;
    assert.equal(gated.handled.length, 9);
    await waitFor(settled, { what: 'the last two acked' });
  });
});
