/** `quote`: a sent quote emailed to the buyer, with its PDF attached and its validity stated. */
import { Type, type Static } from 'typebox';
import { html, oneLine } from './html.ts';
import { formatMoney } from './invoice.template.ts';
import { layout } from './layout.ts';
import type { RenderedEmail } from './types.ts';

/** What the template needs (stored in `emails.payload`); the amount is a decimal string. */
export const QuotePayloadSchema = Type.Object({
  number: Type.String(),
  sellerName: Type.String(),
  buyerName: Type.String(),
  gross: Type.String(),
  currency: Type.String(),
  validUntil: Type.String(),
});
export type QuotePayload = Static<typeof QuotePayloadSchema>;

/** The subject line alone (recorded with the email when it is queued). */
export function quoteSubject(payload: Pick<QuotePayload, 'number' | 'sellerName'>): string {
  return oneLine(`Quote ${payload.number} from ${payload.sellerName}`);
}

/** Renders subject, text and HTML. */
export function renderQuote(payload: QuotePayload): RenderedEmail {
  const subject = quoteSubject(payload);
  const gross = formatMoney(payload.gross, payload.currency);
  const lines = [
    `please find attached quote ${payload.number} from ${payload.sellerName} for ${gross}.`,
    `The offer is valid until ${payload.validUntil}.`,
  ];
  const text = [`Dear ${payload.buyerName},`, '', ...lines, '', 'Kind regards,', payload.sellerName].join(
    '\n',
  );
  const body = html`<p>Dear ${payload.buyerName},</p>
    ${lines.map((line) => html`<p>${line}</p>`)}
    <p>Kind regards,<br />${payload.sellerName}</p>`;
  return { subject, text, html: layout(subject, body) };
}

/** The registry entry of this template. */
export const QuoteTemplates = {
  quote: {
    schema: QuotePayloadSchema,
    subject: quoteSubject,
    render: renderQuote,
    secretFields: [],
    attachesDocument: true,
  },
};
