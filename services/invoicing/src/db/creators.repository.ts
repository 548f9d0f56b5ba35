/** Who created a document (for `all_invoices_access`); scoped by organization like every read. */
import { qualified, type EntityManager } from '@invoice/platform-db';

/**
 * The creator of an invoice: its user id, null when unknown (older rows), undefined when there is
 * no such invoice in the organization.
 */
export async function creatorOfInvoice(
  em: EntityManager,
  orgId: string,
  id: string,
): Promise<string | null | undefined> {
  const rows = await em.execute<{ created_by: string | null }[]>(
    `select created_by from ${qualified(em, 'invoices')} where org_id = ? and id = ?`,
    [orgId, id],
  );
  return rows.length === 0 ? undefined : rows[0]!.created_by;
}

/** The creator of the invoice a credit note credits (same contract as {@link creatorOfInvoice}). */
export async function creatorOfCreditNote(
  em: EntityManager,
  orgId: string,
  id: string,
): Promise<string | null | undefined> {
  const rows = await em.execute<{ created_by: string | null }[]>(
    `select i.created_by from ${qualified(em, 'credit_notes')} c
     join ${qualified(em, 'invoices')} i on i.id = c.invoice_id and i.org_id = c.org_id
     where c.org_id = ? and c.id = ?`,
    [orgId, id],
  );
  return rows.length === 0 ? undefined : rows[0]!.created_by;
}
