/** Every event the document service consumes, with its durable consumer name. */
import type { ConsumerDefinition } from '@invoice/platform-bus';
import type { Deps } from '../deps.ts';
import { creditNoteIssuedConsumer } from './credit-note-issued.consumer.ts';
import { invoiceIssuedConsumer } from './invoice-issued.consumer.ts';
import { invoiceVoidedConsumer } from './invoice-voided.consumer.ts';
import { quoteSentConsumer } from './quote-sent.consumer.ts';

/** The consumers run by the worker role. */
export function consumers(deps: Pick<Deps, 'orm' | 'storage' | 'renderQueue'>): ConsumerDefinition[] {
  return [
    invoiceIssuedConsumer(deps) as ConsumerDefinition,
    invoiceVoidedConsumer(deps) as ConsumerDefinition,
    creditNoteIssuedConsumer(deps) as ConsumerDefinition,
    quoteSentConsumer(deps) as ConsumerDefinition,
  ];
}
