/** `invoice`: an issued invoice sent to the buyer, with its PDF attached. */
import { Type, type Static } from 'typebox';
import { html, oneLine } from './html.ts';
import { layout } from './layout.ts';
import type { RenderedEmail } from './types.ts';

/** What the template needs (stored in `emails.payload`); amounts are decimal strings. */
export const InvoicePayloadSchema = Type.Object({
  number: Type.String(),
  sellerName: Type.String(),
  buyerName: Type.String(),
  gross: Type.String(),
  due: Type.String(),
  currency: Type.String(),
  dueDate: Type.Optional(Type.String()),
});
export type InvoicePayload = Static<typeof InvoicePayloadSchema>;

/** Formats a decimal string as money without going through a float (Intl takes the string as is). */
export function formatMoney(amount: string, currency: string): string {
  const format = moneyFormat(currency);
  return format ? format.format(amount as `${number}`) : `${amount} ${currency}`;
}

/** One formatter per currency (building an Intl.NumberFormat costs far more than using one). */
const moneyFormats = new Map<string, Intl.NumberFormat | undefined>();

function moneyFormat(currency: string): Intl.NumberFormat | undefined {
  if (!moneyFormats.has(currency)) {
    let format: Intl.NumberFormat | undefined;
    try {
      format = new Intl.NumberFormat('en', { style: 'currency', currency });
    } catch {
      format = undefined; // not an ISO 4217 code Intl knows: printed as given
    }
    moneyFormats.set(currency, format);
  }
  return moneyFormats.get(currency);
}

/** The subject line alone (recorded with the email when it is queued). */
export function invoiceSubject(payload: Pick<InvoicePayload, 'number' | 'sellerName'>): string {
  return oneLine(`Invoice ${payload.number} from ${payload.sellerName}`);
}

/** Renders subject, text and HTML. */
export function renderInvoice(payload: InvoicePayload): RenderedEmail {
  const subject = invoiceSubject(payload);
  const gross = formatMoney(payload.gross, payload.currency);
  const due = formatMoney(payload.due, payload.currency);
  const dueLine = payload.dueDate
    ? `Amount due: ${due}, payable by ${payload.dueDate}.`
    : `Amount due: ${due}.`;
  const text = [
    `Dear ${payload.buyerName},`,
    '',
    `please find attached invoice ${payload.number} from ${payload.sellerName} for ${gross}.`,
    dueLine,
    '',
    'Kind regards,',
    payload.sellerName,
  ].join('\n');
  const body = html`<p>Dear ${payload.buyerName},</p>
    <p>
      please find attached invoice <strong>${payload.number}</strong> from ${payload.sellerName} for
      <strong>${gross}</strong>.
    </p>
    <p>${dueLine}</p>
    <p>Kind regards,<br />${payload.sellerName}</p>`;
  return { subject, text, html: layout(subject, body) };
}
