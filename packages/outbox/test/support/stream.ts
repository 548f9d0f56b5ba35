/** Reads what a JetStream stream really holds (the ground truth of "published exactly once"). */
import type { EventEnvelope } from '@invoice/contracts';
import type { Bus } from '@invoice/platform-bus';

/** A stored message: its wire subject, its msgID header and the parsed envelope. */
export interface StoredEvent {
  seq: number;
  subject: string;
  msgId: string | undefined;
  envelope: EventEnvelope;
}

/** Number of messages the stream stores. */
export async function streamMessageCount(bus: Bus, stream: string): Promise<number> {
  const info = await bus.jsm.streams.info(stream);
  return info.state.messages;
}

/** Every message of the stream, in order, read with an ordered (ephemeral) consumer. */
export async function readStream(bus: Bus, stream: string): Promise<StoredEvent[]> {
  const expected = await streamMessageCount(bus, stream);
  const events: StoredEvent[] = [];
  if (expected === 0) return events;
  const consumer = await bus.js.consumers.get(stream);
  while (events.length < expected) {
    const batch = await consumer.fetch({
      max_messages: Math.min(256, expected - events.length),
      expires: 2_000,
    });
    let got = 0;
    for await (const msg of batch) {
      got += 1;
      events.push({
        seq: msg.seq,
        subject: msg.subject,
        msgId: msg.headers?.get('Nats-Msg-Id'),
        envelope: msg.json<EventEnvelope>(),
      });
    }
    if (got === 0) throw new Error(`stream ${stream} yielded ${events.length} of ${expected} messages`);
  }
  await consumer.delete().catch(() => undefined);
  return events;
}

/** How many times each event id occurs in the stream. */
export function countById(events: readonly StoredEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of events) counts.set(event.envelope.id, (counts.get(event.envelope.id) ?? 0) + 1);
  return counts;
}
