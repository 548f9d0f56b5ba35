/** What the quote use cases share: the 404, and stored lines as the engine's input again. */
import { AppError, type LineInput } from '@invoice/contracts';
import { lineInput } from '../db/invoice-mapping.ts';
import type { QuoteLine } from '../db/quotes.repository.ts';

/** 404 for a missing quote (including another organization's, or another member's without the permission). */
export function quoteNotFound(): AppError {
  return new AppError('NOT_FOUND', { detail: 'No such quote' });
}

/** The stored lines as the engine's input (the same mapping as invoice line rows). */
export function quoteLineInputs(lines: readonly QuoteLine[]): LineInput[] {
  return lines.map((line) => lineInput({ ...line, invoiceId: '' }));
}
