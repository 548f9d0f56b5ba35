/**
 * The quote lifecycle as guarded transitions: a draft is the only editable state; sending numbers and
 * freezes it (a sent quote may be sent again); the organization accepts or declines a sent quote
 * while it is valid; the expiry job marks a sent quote whose validity has passed as expired; an
 * accepted quote converts into a draft invoice, once. Every refused transition has its own code.
 */
import { AppError, type QuoteStatus } from '@invoice/contracts';

const TRANSITIONS: Readonly<Record<QuoteStatus, readonly QuoteStatus[]>> = {
  draft: ['sent'],
  sent: ['sent', 'accepted', 'declined', 'expired'],
  accepted: ['converted'],
  declined: [],
  expired: [],
  converted: [],
};

/** True when `from → to` is an allowed transition. */
export function canTransitionQuote(from: QuoteStatus, to: QuoteStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** A draft quote can be edited or deleted; anything else is frozen (QUOTE_NOT_DRAFT). */
export function assertQuoteEditable(status: QuoteStatus): void {
  if (status !== 'draft') {
    throw new AppError('QUOTE_NOT_DRAFT', { detail: `The quote is ${status}; only a draft can be changed` });
  }
}

/**
 * A draft is sent (and numbered); a sent quote may be sent again while it is valid. Neither is sent
 * past its validity (a draft's `validUntil` is edited first).
 */
export function sendQuote(status: QuoteStatus, validUntil: string, today: string): 'sent' {
  if ((status === 'draft' || status === 'sent') && validUntil < today) throw expired(validUntil);
  if (!canTransitionQuote(status, 'sent')) {
    if (status === 'expired') throw expired(validUntil);
    throw new AppError('QUOTE_NOT_DRAFT', { detail: `The quote is ${status}; it can no longer be sent` });
  }
  return 'sent';
}

/**
 * Accepting or declining: only a sent quote, and only while it is valid (through `validUntil`,
 * inclusive); one past its validity is refused even before the expiry job marked it.
 */
export function decideQuote(
  status: QuoteStatus,
  decision: 'accepted' | 'declined',
  validUntil: string,
  today: string,
): 'accepted' | 'declined' {
  if (status === 'expired' || (status === 'sent' && validUntil < today)) throw expired(validUntil);
  if (status === 'converted') throw alreadyConverted();
  if (!canTransitionQuote(status, decision)) {
    const detail =
      status === 'draft'
        ? 'Send the quote before it can be accepted or declined'
        : `The quote is already ${status}`;
    throw new AppError('QUOTE_NOT_SENT', { detail });
  }
  return decision;
}

/** Converting: only an accepted quote, once (QUOTE_ALREADY_CONVERTED the second time). */
export function convertQuote(status: QuoteStatus): 'converted' {
  if (status === 'converted') throw alreadyConverted();
  if (!canTransitionQuote(status, 'converted')) {
    throw new AppError('QUOTE_NOT_ACCEPTED', { detail: `The quote is ${status}; accept it first` });
  }
  return 'converted';
}

/** True when the expiry job should mark the quote expired on `today`. */
export function isExpiredOn(status: QuoteStatus, validUntil: string, today: string): boolean {
  return status === 'sent' && validUntil < today;
}

function expired(validUntil: string): AppError {
  return new AppError('QUOTE_EXPIRED', { detail: `The quote was valid until ${validUntil}` });
}

function alreadyConverted(): AppError {
  return new AppError('QUOTE_ALREADY_CONVERTED', {
    detail: 'The quote was already converted; see its invoiceId',
  });
}
