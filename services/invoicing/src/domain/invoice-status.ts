/**
 * The invoice lifecycle as guarded transitions: a draft is the only editable state; issuing freezes it;
 * payments and credit notes move it between issued, partially paid and paid (a reversal or refund can
 * move it back), the overdue job marks it overdue, and void ends it. Every refused transition has its
 * own error code.
 */
import { AppError, type InvoiceStatus } from '@invoice/contracts';

const TRANSITIONS: Readonly<Record<InvoiceStatus, readonly InvoiceStatus[]>> = {
  draft: ['issued'],
  issued: ['partially_paid', 'paid', 'overdue', 'void'],
  partially_paid: ['issued', 'paid', 'overdue', 'void'],
  // An overdue invoice stays overdue until it is settled (a partial payment does not make it current).
  overdue: ['paid', 'void'],
  // A reversal or refund of a paid invoice makes money due again.
  paid: ['issued', 'partially_paid', 'overdue'],
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
  // Only a draft is issued (a paid invoice may become `issued` again, but by a reversal, not by issue).
  if (status !== 'draft') {
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

/** The codes of a settlement action on an invoice that is not (or no longer) open to it. */
function refuseUnsettleable(status: InvoiceStatus, action: string): void {
  if (status === 'draft') {
    throw new AppError('INVOICE_NOT_ISSUED', { detail: `Issue the draft before ${action}` });
  }
  if (status === 'void') {
    throw new AppError('INVOICE_VOIDED', { detail: `A void invoice cannot take ${action}` });
  }
}

/** A payment can be recorded on an issued, partially paid or overdue invoice. */
export function assertPayable(status: InvoiceStatus): void {
  refuseUnsettleable(status, 'a payment');
  if (status === 'paid') {
    throw new AppError('INVOICE_ALREADY_PAID', {
      detail: 'Nothing is due on this invoice; a reversed or refunded payment makes it payable again',
    });
  }
}

/** Reversing or refunding a payment needs an issued (not void) invoice. */
export function assertPaymentAdjustable(status: InvoiceStatus): void {
  refuseUnsettleable(status, 'a payment change');
}

/** What decides whether an invoice can be voided. */
export interface VoidFacts {
  /** Payments not reversed (refunded or not). */
  activePayments: number;
  creditNotes: number;
}

/**
 * Returns `void` for an issued invoice without payments or credit notes; otherwise the code names the
 * way out (a draft is deleted, a paid invoice is corrected with a credit note).
 */
export function voidInvoice(status: InvoiceStatus, facts: VoidFacts): InvoiceStatus {
  if (status === 'draft') {
    throw new AppError('INVOICE_NOT_ISSUED', { detail: 'A draft is deleted, not voided' });
  }
  if (status === 'void') throw new AppError('INVOICE_VOIDED', { detail: 'The invoice is already void' });
  if (facts.activePayments > 0 || status === 'paid') {
    throw new AppError('INVOICE_HAS_PAYMENTS', {
      detail:
        'The invoice has payments: issue a credit note (POST /v1/invoices/{id}/credit-notes) or reverse the payments first',
    });
  }
  if (facts.creditNotes > 0) {
    throw new AppError('INVOICE_HAS_CREDIT_NOTES', {
      detail: 'The invoice has credit notes: credit the remainder with another credit note instead',
    });
  }
  if (!canTransition(status, 'void')) throw new Error(`no transition ${status} → void`);
  return 'void';
}

/** Where an invoice's money stands. */
export interface SettlementState {
  /** True when nothing is due any more (`due` ≤ 0). */
  settled: boolean;
  /** True when any payment or credit note counts against the invoice. */
  anythingApplied: boolean;
}

/**
 * The status an open (issued, partially paid, overdue or paid) invoice has after its payments or
 * credit notes changed: paid when nothing is due; an overdue invoice stays overdue while money is
 * due; otherwise partially paid or issued.
 */
export function settledStatus(current: InvoiceStatus, state: SettlementState): InvoiceStatus {
  refuseUnsettleable(current, 'payments or credit notes');
  let next: InvoiceStatus;
  if (state.settled) next = 'paid';
  else if (current === 'overdue') next = 'overdue';
  else next = state.anythingApplied ? 'partially_paid' : 'issued';
  if (next !== current && !canTransition(current, next))
    throw new Error(`no transition ${current} → ${next}`);
  return next;
}

/** A credit note corrects an issued invoice, paid or not; never a draft or a void one. */
export function assertCreditNoteAllowed(status: InvoiceStatus): void {
  refuseUnsettleable(status, 'a credit note');
}
