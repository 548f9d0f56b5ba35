/**
 * Gapless numbering: the series row is locked (`select … for update`) inside the issue transaction,
 * so concurrent issues of one organization queue on it and a rolled-back issue gives its number back.
 */
import { qualified, type EntityManager } from '@invoice/platform-db';
import { newId } from '@invoice/contracts';
import {
  DEFAULT_INVOICE_PREFIX,
  expandPrefix,
  formatDocumentNumber,
  seriesPeriod,
} from '../domain/numbering.ts';

/** A number drawn from a series. */
export interface AssignedNumber {
  seriesId: string;
  number: string;
}

/** Draws the next number of the organization's series for this document type and issue date. */
export async function assignNextNumber(
  em: EntityManager,
  orgId: string,
  documentType: string,
  issueDate: string,
): Promise<AssignedNumber> {
  const series = qualified(em, 'number_series');
  const latest = await em.execute<{ prefix: string }[]>(
    `select prefix from ${series} where org_id = ? and document_type = ? order by created_at desc limit 1`,
    [orgId, documentType],
  );
  const template = latest[0]?.prefix ?? DEFAULT_INVOICE_PREFIX;
  const period = seriesPeriod(template, issueDate);
  // Created on first use; a concurrent creator makes this a no-op and the lock below waits for it.
  await em.execute(
    `insert into ${series} (id, org_id, document_type, period, prefix) values (?, ?, ?, ?, ?) on conflict do nothing`,
    [newId(), orgId, documentType, period, template],
  );
  const [row] = await em.execute<{ id: string; prefix: string; next_number: string }[]>(
    `select id, prefix, next_number from ${series} where org_id = ? and document_type = ? and period = ? for update`,
    [orgId, documentType, period],
  );
  if (!row) throw new Error('number series row vanished');
  await em.execute(`update ${series} set next_number = next_number + 1, updated_at = now() where id = ?`, [
    row.id,
  ]);
  return {
    seriesId: row.id,
    number: formatDocumentNumber(expandPrefix(row.prefix, issueDate), Number(row.next_number)),
  };
}
