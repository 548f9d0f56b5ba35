/** The AsyncAPI 3.0 document of the platform's events (https://www.asyncapi.com/docs/reference/specification/v3.0.0). */
import { streamFor } from '../src/index.ts';

/** A message component name from a subject (`invoicing.invoice.issued.v1` → `InvoicingInvoiceIssuedV1`). */
export function messageName(subject: string): string {
  return subject
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * One channel per subject (address = the NATS subject), one `send` operation per channel for the
 * producing service, and one message per subject whose payload is the exported envelope schema.
 */
export function asyncApiDocument(subjects: readonly string[]): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const subject of subjects) {
    const name = messageName(subject);
    channels[subject] = {
      address: subject,
      description: `JetStream stream ${streamFor(subject).name}; the message id (Nats-Msg-Id) is the event id.`,
      messages: { [name]: { $ref: `#/components/messages/${name}` } },
    };
    operations[`publish${name}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${subject}` },
      messages: [{ $ref: `#/channels/${subject}/messages/${name}` }],
    };
    messages[name] = {
      name: subject,
      title: subject,
      contentType: 'application/json',
      payload: { $ref: `./${subject}.json` },
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Invoice platform events',
      version: '1.0.0',
      description:
        'Events published to NATS JetStream as CloudEvents 1.0 JSON envelopes. Additive optional fields keep the major version; consumers ignore unknown fields.',
    },
    defaultContentType: 'application/json',
    servers: {
      production: {
        host: 'nats:4222',
        protocol: 'nats',
        description:
          'NATS with JetStream, configured from deploy/nats/nats-server.conf (one user per service). Use TLS (tls://) in production; see docs/event-consumers.md.',
        security: [{ $ref: '#/components/securitySchemes/subscriber' }],
      },
      development: {
        host: '127.0.0.1:4223',
        protocol: 'nats',
        description: '`npm start`: the password of `subscriber` is in .data/nats/credentials.json.',
        security: [{ $ref: '#/components/securitySchemes/subscriber' }],
      },
    },
    channels,
    operations,
    components: {
      messages,
      securitySchemes: {
        subscriber: {
          type: 'userPassword',
          description:
            'The read-only identity `subscriber`: may create durable pull consumers of its own on the INVOICING, DOCUMENT and NOTIFICATION streams, read and ack them; publishes nothing; never reads AUTH or CATALOG.',
        },
      },
    },
  };
}
