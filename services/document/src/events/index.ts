/** Every event the document service consumes, with its durable consumer name. */
import type { ConsumerDefinition } from '@invoice/platform-bus';
import type { Deps } from '../deps.ts';
import { invoiceIssuedConsumer } from './invoice-issued.consumer.ts';

/** The consumers run by the worker role. */
export function consumers(deps: Pick<Deps, 'orm' | 'storage' | 'renderQueue'>): ConsumerDefinition[] {
  return [invoiceIssuedConsumer(deps) as ConsumerDefinition];
}
