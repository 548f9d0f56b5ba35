import type { JetStreamManager } from '@nats-io/jetstream';
import { streamFor, type EventEnvelope, type StreamDefinition } from '@invoice/contracts';

/** The part of a Bus this helper needs (a structural type, so the kit does not depend on the bus). */
export interface StreamReader {
  jsm: JetStreamManager;
  streamName(stream: StreamDefinition): string;
}

/**
 * Every event of `type` stored in its stream on the bus's namespace, oldest first; without a type,
 * every event of `stream` (a subject or type naming it, e.g. `auth.events`).
 */
export async function readStreamEvents<T = Record<string, unknown>>(
  bus: StreamReader,
  type: string | undefined,
  streamOf: string = type ?? '',
): Promise<EventEnvelope<T>[]> {
  const stream = bus.streamName(streamFor(streamOf));
  const { state } = await bus.jsm.streams.info(stream);
  const events: EventEnvelope<T>[] = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq += 1) {
    const message = await bus.jsm.streams.getMessage(stream, { seq }).catch(() => null);
    const envelope = message?.json<EventEnvelope<T>>();
    if (envelope && (type === undefined || envelope.type === type)) events.push(envelope);
  }
  return events;
}
