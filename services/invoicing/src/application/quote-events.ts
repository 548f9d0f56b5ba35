/** Envelopes of the quote events (`invoicing.quote.*`) the invoicing service writes to its outbox. */
import {
  createEnvelope,
  Subjects,
  type EventEnvelope,
  type QuoteConverted,
  type QuoteDecided,
  type QuoteSent,
  type QuoteUpdated,
  type Totals,
} from '@invoice/contracts';

const SOURCE = 'invoicing';

/** A draft quote was created or edited (`totals`), or deleted. */
export function quoteUpdatedEvent(
  orgId: string,
  quoteId: string,
  change: { totals: Totals } | { deleted: true },
): EventEnvelope<QuoteUpdated> {
  return createEnvelope({
    type: Subjects.QuoteUpdated,
    source: SOURCE,
    orgId,
    subject: quoteId,
    data: { quoteId, status: 'draft' as const, ...change },
  });
}

/** A quote was sent: its snapshot to render and the email to send. */
export function quoteSentEvent(orgId: string, data: QuoteSent): EventEnvelope<QuoteSent> {
  return createEnvelope({ type: Subjects.QuoteSent, source: SOURCE, orgId, subject: data.quote.id, data });
}

const DECIDED = {
  accepted: Subjects.QuoteAccepted,
  declined: Subjects.QuoteDeclined,
  expired: Subjects.QuoteExpired,
} as const;

/** A quote was accepted, declined or expired. */
export function quoteDecidedEvent(orgId: string, data: QuoteDecided): EventEnvelope<QuoteDecided> {
  return createEnvelope({ type: DECIDED[data.status], source: SOURCE, orgId, subject: data.quoteId, data });
}

/** A quote was converted into a draft invoice. */
export function quoteConvertedEvent(orgId: string, data: QuoteConverted): EventEnvelope<QuoteConverted> {
  return createEnvelope({
    type: Subjects.QuoteConverted,
    source: SOURCE,
    orgId,
    subject: data.quoteId,
    data,
  });
}
