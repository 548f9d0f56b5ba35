/** Writes of an issued invoice's lifecycle (payments, refunds, void), in the caller's transaction. */
import { qualified, type EntityManager } from '@invoice/platform-db';
import type { InvoiceRow } from './invoice.entity.ts';
import { setClause } from './invoices.repository.ts';

/** Applies `changes` to the (locked) invoice and bumps its version; returns the new version. */
export async function updateIssuedInvoice(
  em: EntityManager,
  id: string,
  changes: Partial<InvoiceRow> & { updatedAt: Date },
): Promise<number> {
  const set = setClause(changes);
  const rows = await em.execute<{ version: number }[]>(
    `update ${qualified(em, 'invoices')} set ${set.sql}, version = version + 1 where id = ? returning version`,
    [...set.params, id],
  );
  const version = rows[0]?.version;
  if (version === undefined) throw new Error(`invoice ${id} vanished while locked`);
  return version;
}

/** How many payments of the invoice are not reversed. */
export async function countActivePayments(em: EntityManager, invoiceId: string): Promise<number> {
  const rows = await em.execute<{ count: string }[]>(
    `select count(*)::text as count from ${qualified(em, 'payments')} where invoice_id = ? and reversed_at is null`,
    [invoiceId],
  );
  return Number(rows[0]?.count ?? 0);
}
