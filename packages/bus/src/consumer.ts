import { AckPolicy, DeliverPolicy, type JsMsg, type ConsumerMessages } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { streamFor, validateEvent, type EventEnvelope } from '@invoice/contracts';
import type { Logger } from '@invoice/platform-logger';
import type { Bus } from './bus.ts';

/** What a handler gets besides the event. */
export interface ConsumerContext {
  logger: Logger;
  /** 1 on first delivery. */
  deliveryCount: number;
}

/** One subscribed subject with its durable name and handler (one file per consumer). */
export interface ConsumerDefinition<T = unknown> {
  /** Durable consumer name, unique per service and subject, e.g. `document-invoice-issued`. */
  durable: string;
  /** The one subject it filters on (nats-server 2.9 takes one filter subject per consumer). */
  subject: string;
  /**
   * Messages handled at once (default 1: one after another, in stream order). More suits handlers
   * whose events are independent of each other or serialize what must not overlap themselves
   * (e.g. a row lock per aggregate); each message is still acked on its own after its handler.
   */
  concurrency?: number;
  handle(event: EventEnvelope<T>, context: ConsumerContext): Promise<void>;
}

/** Thrown by a handler for a message that can never succeed: the message is terminated, not retried. */
export class PermanentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentError';
  }
}

/** Options of the consume loops (ack wait is how long a crashed consumer holds a message). */
export interface ConsumeOptions {
  ackWaitMs?: number;
  maxDeliver?: number;
}

const MAX_NAK_DELAY_MS = 60_000;

/** Redelivery delay: 1 s, 2 s, 4 s … capped at a minute. */
export function nakDelay(deliveryCount: number): number {
  return Math.min(MAX_NAK_DELAY_MS, 1_000 * 2 ** Math.max(0, deliveryCount - 1));
}

/**
 * Creates (or updates) each durable pull consumer and runs its loop until the returned stop
 * function is called. Each message: validated against its contract schema (failures are logged and
 * terminated so they never block the next one), handled, then acked; transient failures are nak'ed
 * with a growing delay; {@link PermanentError}s are terminated. Up to the definition's
 * `concurrency` messages are handled at once; stopping waits for the ones in hand.
 */
export async function startConsumers(
  bus: Bus,
  definitions: readonly ConsumerDefinition[],
  options: ConsumeOptions = {},
): Promise<() => Promise<void>> {
  const loops: { messages: ConsumerMessages; done: Promise<void> }[] = [];
  for (const definition of definitions) {
    const stream = bus.streamName(streamFor(definition.subject));
    const durable = bus.durableName(definition.durable);
    const config = {
      durable_name: durable,
      filter_subject: bus.subject(definition.subject),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(options.ackWaitMs ?? 30_000),
      max_deliver: options.maxDeliver ?? 50,
      max_ack_pending: 256,
    };
    // The stream belongs to the producing service, which creates it when it starts (a service may
    // not create another's stream on a locked-down NATS): until then, wait for it.
    for (let attempt = 1; ; attempt++) {
      try {
        try {
          await bus.jsm.consumers.info(stream, durable);
          await bus.jsm.consumers.update(stream, durable, {
            ack_wait: config.ack_wait,
            max_deliver: config.max_deliver,
            max_ack_pending: config.max_ack_pending,
          });
        } catch (error) {
          if (isStreamMissing(error)) throw error;
          await bus.jsm.consumers.add(stream, config);
        }
        break;
      } catch (error) {
        if (!isStreamMissing(error) || bus.nc.isClosed()) throw error;
        if (attempt === 1 || attempt % 30 === 0)
          bus.logger.warn({ stream, durable }, 'stream not created by its service yet; waiting');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
    const consumer = await bus.js.consumers.get(stream, durable);
    const concurrency = Math.max(1, Math.floor(definition.concurrency ?? 1));
    const messages = await consumer.consume({ max_messages: Math.max(64, 2 * concurrency) });
    const logger = bus.logger.child({ consumer: definition.durable });
    const settle = async (msg: JsMsg) => {
      try {
        await processMessage(bus, definition, msg, logger);
      } catch (error) {
        // e.g. an ack on a connection closed under us; the message comes back after the ack wait.
        logger.error({ err: error, seq: msg.seq }, 'consumer failed to settle a message');
      }
    };
    const done = (async () => {
      const inHand = new Set<Promise<void>>();
      for await (const msg of messages) {
        const task: Promise<void> = settle(msg).finally(() => inHand.delete(task));
        inHand.add(task);
        if (inHand.size >= concurrency) await Promise.race(inHand);
      }
      await Promise.all(inHand);
    })();
    loops.push({ messages, done });
  }
  return async () => {
    for (const loop of loops) await loop.messages.close();
    await Promise.allSettled(loops.map((loop) => loop.done));
  };
}

/**
 * The organization a payload names (`orgId`, `organizationId` or `organization.id`), if any: it must
 * be the envelope's `orgid`, or a forged event could reach another organization's data.
 */
export function payloadOrganization(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  const record = data as Record<string, unknown>;
  for (const value of [record.orgId, record.organizationId, (record.organization as { id?: unknown })?.id])
    if (typeof value === 'string') return value;
  return undefined;
}

function isStreamMissing(error: unknown): boolean {
  const apiError = (error as { api_error?: { err_code?: number } })?.api_error;
  return apiError?.err_code === 10059 || /stream not found/i.test(String((error as Error)?.message ?? error));
}

/** Handles one delivery: validate, run the handler, then ack / nak / term. */
export async function processMessage(
  bus: Bus,
  definition: ConsumerDefinition,
  msg: JsMsg,
  logger: Logger,
): Promise<'acked' | 'nacked' | 'terminated'> {
  const deliveryCount = msg.info.deliveryCount;
  let envelope: EventEnvelope;
  try {
    envelope = msg.json<EventEnvelope>();
  } catch {
    logger.error({ seq: msg.seq, subject: msg.subject }, 'event is not JSON; terminated');
    terminate(msg);
    return 'terminated';
  }
  const problems = validateEvent(bus.unprefix(msg.subject), envelope);
  if (problems.length > 0) {
    logger.error(
      { eventId: envelope?.id, seq: msg.seq, problems },
      'event fails its contract schema; terminated',
    );
    terminate(msg);
    return 'terminated';
  }
  const claimed = payloadOrganization(envelope.data);
  if (claimed !== undefined && claimed.toLowerCase() !== String(envelope.orgid).toLowerCase()) {
    logger.error(
      { eventId: envelope.id, seq: msg.seq, orgid: envelope.orgid, payloadOrganization: claimed },
      "event's orgid differs from the organization in its payload; terminated",
    );
    terminate(msg);
    return 'terminated';
  }
  const eventLogger = logger.child({ eventId: envelope.id, type: envelope.type });
  try {
    await definition.handle(envelope, { logger: eventLogger, deliveryCount });
    msg.ack();
    eventLogger.debug('event consumed');
    return 'acked';
  } catch (error) {
    if (error instanceof PermanentError) {
      eventLogger.error({ err: error }, 'event cannot be processed; terminated');
      terminate(msg);
      return 'terminated';
    }
    const delay = nakDelay(deliveryCount);
    eventLogger.warn({ err: error, deliveryCount, retryInMs: delay }, 'event handling failed; will retry');
    msg.nak(delay);
    return 'nacked';
  }
}

/**
 * Terminates a delivery (no redelivery). Without a reason on purpose: nats-server 2.9 recognises
 * only the exact `+TERM` ack, so `+TERM <reason>` is ignored there and the message comes back after
 * the ack wait, up to max_deliver times. The reason is in our log line instead.
 */
function terminate(msg: JsMsg): void {
  msg.term();
}
