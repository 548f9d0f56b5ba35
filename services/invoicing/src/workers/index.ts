/** Every worker of the invoicing service, started by the worker role. */
import type { Stopper } from '@invoice/platform-service';
import type { Deps } from '../deps.ts';
import { startWorkers as startOverdueWorkers } from './overdue.worker.ts';
import { startQuoteExpiryWorkers } from './quote-expiry.worker.ts';
import { startRecurringWorkers } from './recurring.worker.ts';

/** Starts the overdue scan, the quote expiry job and the recurring-invoice scheduler; their stoppers in order. */
export async function startWorkers(deps: Deps): Promise<Stopper[]> {
  return [
    ...(await startOverdueWorkers(deps)),
    ...(await startQuoteExpiryWorkers(deps)),
    ...(await startRecurringWorkers(deps)),
  ];
}
