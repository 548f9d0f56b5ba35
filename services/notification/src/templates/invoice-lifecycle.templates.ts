/**
 * Emails of an invoice's life after issue: the payment reminder of an overdue invoice (its PDF
 * attached), the receipt of a payment, and a credit note (its PDF attached). Every value is escaped in the HTML; subjects stay on one line.
 */
import { Type, type Static } from 'typebox';
import { html, oneLine } from './html.ts';
import { formatMoney } from './invoice.template.ts';
import { layout } from './layout.ts';
import type { RenderedEmail } from './types.ts';

/** `invoice-reminder`: what the template needs (stored in `emails.payload`); amounts are decimal strings. */
export const InvoiceReminderPayloadSchema = Type.Object({
  number: Type.String(),
  reminder: Type.Integer({ minimum: 1 }),
  sellerName: Type.String(),
  buyerName: Type.String(),
  due: Type.String(),
  currency: Type.String(),
  dueDate: Type.String(),
  daysOverdue: Type.Integer({ minimum: 0 }),
});
export type InvoiceReminderPayload = Static<typeof InvoiceReminderPayloadSchema>;

/** The reminder's subject: the first is friendly, later ones say which reminder they are. */
export function reminderSubject(
  payload: Pick<InvoiceReminderPayload, 'number' | 'sellerName' | 'reminder'>,
): string {
  const which = payload.reminder === 1 ? 'Payment reminder' : `Payment reminder ${payload.reminder}`;
  return oneLine(`${which}: invoice ${payload.number} from ${payload.sellerName}`);
}

/** Renders the reminder (the invoice PDF is attached by the sender). */
export function renderReminder(payload: InvoiceReminderPayload): RenderedEmail {
  const subject = reminderSubject(payload);
  const due = formatMoney(payload.due, payload.currency);
  const days = payload.daysOverdue === 1 ? '1 day' : `${payload.daysOverdue} days`;
  const lines = [
    `our records show that invoice ${payload.number}, due on ${payload.dueDate}, is unpaid (${days} overdue).`,
    `Amount still due: ${due}. The invoice is attached again for your convenience.`,
    'If you have paid in the meantime, please disregard this message.',
  ];
  const text = [`Dear ${payload.buyerName},`, '', ...lines, '', 'Kind regards,', payload.sellerName].join(
    '\n',
  );
  const body = html`<p>Dear ${payload.buyerName},</p>
    ${lines.map((line) => html`<p>${line}</p>`)}
    <p>Kind regards,<br />${payload.sellerName}</p>`;
  return { subject, text, html: layout(subject, body) };
}

/** `payment-receipt`: a payment received for an invoice. */
export const PaymentReceiptPayloadSchema = Type.Object({
  number: Type.String(),
  sellerName: Type.String(),
  buyerName: Type.String(),
  amount: Type.String(),
  date: Type.String(),
  due: Type.String(),
  currency: Type.String(),
});
export type PaymentReceiptPayload = Static<typeof PaymentReceiptPayloadSchema>;

/** The receipt's subject. */
export function receiptSubject(payload: Pick<PaymentReceiptPayload, 'number' | 'sellerName'>): string {
  return oneLine(`Payment received: invoice ${payload.number} from ${payload.sellerName}`);
}

/** Renders the receipt. */
export function renderReceipt(payload: PaymentReceiptPayload): RenderedEmail {
  const subject = receiptSubject(payload);
  const amount = formatMoney(payload.amount, payload.currency);
  // Decimal text, never a float: settled when nothing (or less than nothing) is due.
  const settled = /^(-|0+(\.0+)?$)/.test(payload.due);
  const rest = settled
    ? 'The invoice is now paid in full. Thank you!'
    : `Amount still due: ${formatMoney(payload.due, payload.currency)}.`;
  const lines = [
    `we received your payment of ${amount} on ${payload.date} for invoice ${payload.number}.`,
    rest,
  ];
  const text = [`Dear ${payload.buyerName},`, '', ...lines, '', 'Kind regards,', payload.sellerName].join(
    '\n',
  );
  const body = html`<p>Dear ${payload.buyerName},</p>
    ${lines.map((line) => html`<p>${line}</p>`)}
    <p>Kind regards,<br />${payload.sellerName}</p>`;
  return { subject, text, html: layout(subject, body) };
}

/** `credit-note`: a credit note sent to the buyer, with its PDF attached. */
export const CreditNotePayloadSchema = Type.Object({
  number: Type.String(),
  creditedNumber: Type.Optional(Type.String()),
  sellerName: Type.String(),
  buyerName: Type.String(),
  gross: Type.String(),
  currency: Type.String(),
});
export type CreditNotePayload = Static<typeof CreditNotePayloadSchema>;

/** The credit note's subject. */
export function creditNoteSubject(payload: Pick<CreditNotePayload, 'number' | 'sellerName'>): string {
  return oneLine(`Credit note ${payload.number} from ${payload.sellerName}`);
}

/** Renders the credit note email (the PDF is attached by the sender). */
export function renderCreditNote(payload: CreditNotePayload): RenderedEmail {
  const subject = creditNoteSubject(payload);
  const amount = formatMoney(payload.gross, payload.currency);
  const credits = payload.creditedNumber ? ` for invoice ${payload.creditedNumber}` : '';
  const lines = [`please find attached credit note ${payload.number}${credits}, crediting ${amount}.`];
  const text = [`Dear ${payload.buyerName},`, '', ...lines, '', 'Kind regards,', payload.sellerName].join(
    '\n',
  );
  const body = html`<p>Dear ${payload.buyerName},</p>
    ${lines.map((line) => html`<p>${line}</p>`)}
    <p>Kind regards,<br />${payload.sellerName}</p>`;
  return { subject, text, html: layout(subject, body) };
}

/** The registry entries of these templates. */
export const InvoiceLifecycleTemplates = {
  'credit-note': {
    schema: CreditNotePayloadSchema,
    subject: creditNoteSubject,
    render: renderCreditNote,
    secretFields: [],
    attachesDocument: true,
  },
  'invoice-reminder': {
    schema: InvoiceReminderPayloadSchema,
    subject: reminderSubject,
    render: renderReminder,
    secretFields: [],
    attachesDocument: true,
  },
  'payment-receipt': {
    schema: PaymentReceiptPayloadSchema,
    subject: receiptSubject,
    render: renderReceipt,
    secretFields: [],
    attachesDocument: false,
  },
} as const;
