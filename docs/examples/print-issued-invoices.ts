/**
 * Prints every issued invoice of the platform, as another internal system would consume them:
 * the read-only `subscriber` identity, a durable pull consumer of its own on the INVOICING stream,
 * explicit acks, idempotency by event id. See docs/event-consumers.md.
 *
 *   npm start                                   # in another terminal
 *   npx tsx docs/examples/print-issued-invoices.ts
 *
 * NATS_URL (default nats://127.0.0.1:4223, npm start's server), NATS_USER (default `subscriber`),
 * NATS_PASSWORD (default: read from .data/nats/credentials.json), DURABLE (default
 * `example-issued-invoices`), ONCE=1 to stop when nothing new arrives for 2 seconds.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

const user = process.env.NATS_USER ?? 'subscriber';
const password =
  process.env.NATS_PASSWORD ??
  (
    JSON.parse(
      readFileSync(
        path.resolve(import.meta.dirname, '..', '..', '.data', 'nats', 'credentials.json'),
        'utf8',
      ),
    ) as Record<string, string>
  )[user];
const durable = process.env.DURABLE ?? 'example-issued-invoices';

const nc = await connect({
  servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4223',
  user,
  pass: password,
  inboxPrefix: `_INBOX_${user}`,
});
const jsm = await jetstreamManager(nc);
// Creating a durable that exists with the same configuration is a no-op.
await jsm.consumers.add('INVOICING', {
  durable_name: durable,
  filter_subject: 'invoicing.invoice.issued.v1',
  ack_policy: AckPolicy.Explicit,
  deliver_policy: DeliverPolicy.All,
  ack_wait: 30_000_000_000, // 30 s in nanoseconds: unacked messages come back after this
  max_deliver: 20,
});
const consumer = await jetstream(nc).consumers.get('INVOICING', durable);
const seen = new Set<string>(); // a real consumer keeps processed event ids in its database

interface Issued {
  id: string;
  orgid: string;
  data: {
    invoice: { id: string; number: string; issueDate: string; currency: string; totals: { gross: string } };
  };
}

for (;;) {
  const batch = await consumer.fetch({ max_messages: 100, expires: 2_000 });
  let count = 0;
  for await (const msg of batch) {
    count++;
    const event = msg.json<Issued>();
    if (!seen.has(event.id)) {
      const { invoice } = event.data;
      // eslint-disable-next-line no-console -- the example prints to the terminal
      console.log(
        `${invoice.issueDate}  ${invoice.number.padEnd(16)} ${invoice.totals.gross.padStart(12)} ${invoice.currency}  org ${event.orgid}  invoice ${invoice.id}`,
      );
      seen.add(event.id);
    }
    msg.ack();
  }
  if (count === 0 && process.env.ONCE) break;
}
await nc.close();
