/**
 * The event contracts for subscribers outside this repository: `/docs/events/asyncapi.json` (AsyncAPI
 * 3.0, one channel per subject, payloads inline from `contracts/`) and `/docs/events`, a page that
 * renders it (no script, so it works wherever the API does). Built once at start-up.
 */
import { eventJsonSchemas, streamFor } from '@invoice/contracts';
import type { App } from '@invoice/platform-http';

/** A message component name from a subject (`invoicing.invoice.issued.v1` → `InvoicingInvoiceIssuedV1`). */
function messageName(subject: string): string {
  return subject
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The AsyncAPI 3.0 document of every event (https://www.asyncapi.com/docs/reference/specification/v3.0.0). */
export function asyncApiDocument(
  schemas: Record<string, unknown> = eventJsonSchemas(),
): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const [subject, payload] of Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))) {
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
    messages[name] = { name: subject, title: subject, contentType: 'application/json', payload };
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
    channels,
    operations,
    components: { messages },
  };
}

const escape = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** The page that renders the document: a table of contents and each message's envelope schema. */
export function eventsPage(document: Record<string, unknown>): string {
  const messages = (document.components as { messages: Record<string, { name: string; payload: unknown }> })
    .messages;
  const entries = Object.entries(messages);
  const toc = entries.map(([id, m]) => `<li><a href="#${id}">${escape(m.name)}</a></li>`).join('');
  const sections = entries
    .map(
      ([id, m]) =>
        `<section class="message" id="${id}"><h2>${escape(m.name)}</h2>` +
        `<p>Stream <code>${escape(streamFor(m.name).name)}</code>, subject <code>${escape(m.name)}</code></p>` +
        `<details><summary>Envelope schema</summary><pre>${escape(JSON.stringify(m.payload, null, 2))}</pre></details></section>`,
    )
    .join('');
  const info = document.info as { title: string; description: string; version: string };
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(info.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:1rem;overflow:auto}</style>
</head><body><h1>${escape(info.title)} <small>${escape(info.version)}</small></h1><p>${escape(info.description)}</p>
<p>AsyncAPI 3.0 document: <a href="/docs/events/asyncapi.json">/docs/events/asyncapi.json</a></p>
<ul>${toc}</ul>${sections}</body></html>`;
}

/** Registers `/docs/events` and `/docs/events/asyncapi.json`. */
export async function eventsDocsRoutes(app: App): Promise<void> {
  const document = asyncApiDocument();
  const page = eventsPage(document);
  app.get('/docs/events/asyncapi.json', { schema: { hide: true } }, async () => document);
  app.get('/docs/events', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(page),
  );
}
