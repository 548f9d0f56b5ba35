/** `all_invoices_access`: whether a caller limited to their own documents may touch this one. */
import type { MikroORM } from '@invoice/platform-db';
import { creatorOfCreditNote, creatorOfInvoice } from '../db/creators.repository.ts';
import { invoiceNotFound } from './guards.ts';

/**
 * 404 when the invoice (or the invoice a credit note credits) was created by someone other than
 * `userId`; a missing document is left to the use case (its own 404).
 */
export async function assertCreatedBy(
  orm: MikroORM,
  kind: 'invoice' | 'credit-note',
  orgId: string,
  id: string,
  userId: string,
): Promise<void> {
  const creator =
    kind === 'invoice'
      ? await creatorOfInvoice(orm.em, orgId, id)
      : await creatorOfCreditNote(orm.em, orgId, id);
  if (creator !== undefined && creator !== userId) throw invoiceNotFound();
}
