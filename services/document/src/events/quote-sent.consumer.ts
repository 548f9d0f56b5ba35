/**
 * `invoicing.quote.sent.v1` → a pending quote document → a render job. The PDF is titled "Quote" and
 * shows its validity ("Valid until"). A quote sent again carries the same document version, so it
 * finds the existing row and renders nothing new.
 */
import { Subjects, type QuoteSent } from '@invoice/contracts';
import type { ConsumerDefinition } from '@invoice/platform-bus';
import type { Deps } from '../deps.ts';
import { snapshotDocumentConsumer } from './invoice-issued.consumer.ts';

export const QUOTE_SENT_DURABLE = 'document-quote-sent';

/** The consumer definition (registered in `events/index.ts`). */
export function quoteSentConsumer(
  deps: Pick<Deps, 'orm' | 'storage' | 'renderQueue'>,
): ConsumerDefinition<QuoteSent> {
  return snapshotDocumentConsumer<QuoteSent>(
    deps,
    QUOTE_SENT_DURABLE,
    Subjects.QuoteSent,
    (data) => data.quote,
  );
}
