/**
 * The invoice lifecycle as guarded transitions: a draft is the only editable state; issuing freezes it;
 * payments, overdue and void come after (their routes arrive later, the rules live here already).
 */
import { AppError, type InvoiceStatus } from '@invoice/contracts';

const TRANSITIONS: Readonly<Record<InvoiceStatus, readonly InvoiceStatus[]>> = {
  draft: ['issued'],
  issued: ['partially_paid', 'paid', 'overdue', 'void'],
  partially_paid: ['paid', 'overdue', 'void'],
  overdue: ['partially_paid', 'paid', 'void'],
  paid: [],
  void: [],
};

/** Statuses of an invoice that exists as a numbered, frozen document. */
const ISSUED_STATES: readonly InvoiceStatus[] = ['issued', 'partially_paid', 'paid', 'overdue'];

/** True when `from → to` is an allowed transition. */
export function canTransition(from: InvoiceStatus, to: InvoiceStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** A draft can be edited or deleted; anything else is frozen (INVOICE_NOT_DRAFT). */
export function assertEditable(status: InvoiceStatus): void {
  if (status !== 'draft') {
    throw new AppError('INVOICE_NOT_DRAFT', {
      detail: `The invoice is ${status}; only a draft can be changed`,
    });
  }
}

/** Returns the status after issue, or throws INVOICE_NOT_DRAFT (issuing twice is a conflict). */
export function issue(status: InvoiceStatus): InvoiceStatus {
  if (!canTransition(status, 'issued')) {
    throw new AppError('INVOICE_NOT_DRAFT', {
      detail: `The invoice is ${status}; only a draft can be issued`,
    });
  }
  return 'issued';
}

/** Only a numbered, not voided invoice can be emailed (INVOICE_NOT_ISSUED otherwise). */
export function assertSendable(status: InvoiceStatus): void {
  if (!ISSUED_STATES.includes(status)) {
    const detail =
      status === 'draft' ? 'Issue the draft before sending it' : `A ${status} invoice cannot be sent`;
    throw new AppError('INVOICE_NOT_ISSUED', { detail });
  }
}
