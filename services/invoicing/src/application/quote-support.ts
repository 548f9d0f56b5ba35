/** What the quote use cases share: the 404, the creator check, and stored lines as the engine's input again. */
import { AppError, type LineInput } from '@invoice/contracts';
import type { MikroORM } from '@invoice/platform-db';
import { lineInput } from '../db/invoice-mapping.ts';
import { quoteCreator, type QuoteLine } from '../db/quotes.repository.ts';

/** 404 for a missing quote (including another organization's, or another member's without the permission). */
export function quoteNotFound(): AppError {
  return new AppError('NOT_FOUND', { detail: 'No such quote' });
}

/** The stored lines as the engine's input (the same mapping as invoice line rows). */
export function quoteLineInputs(lines: readonly QuoteLine[]): LineInput[] {
  return lines.map((line) => lineInput({ ...line, invoiceId: '' }));
}

/**
 * `all_invoices_access`: 404 when the quote was created by someone other than `userId`; a missing
 * quote is left to the use case (its own 404).
 */
export async function assertQuoteCreatedBy(
  orm: MikroORM,
  orgId: string,
  id: string,
  userId: string,
): Promise<void> {
  const creator = await quoteCreator(orm.em, orgId, id);
  if (creator !== undefined && creator !== userId) throw quoteNotFound();
}
