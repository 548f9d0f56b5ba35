/** What `GET /v1/invoices/{id}/pdf` answers, decided from the document rows of one invoice. */

/** The fields of a document row the decision needs. */
export interface DocumentVersion {
  id: string;
  version: number;
  status: 'pending' | 'ready' | 'failed';
}

/** The answer: a file to redirect to, a render to wait for, a failed render, or nothing at all. */
export type PdfAvailability<T extends DocumentVersion> =
  | { kind: 'ready'; document: T }
  | { kind: 'pending'; document: T }
  | { kind: 'failed'; document: T }
  | { kind: 'none' };

/**
 * The newest ready version wins (a newer version still rendering does not hide the file that
 * exists); otherwise the newest pending one means "wait"; otherwise a failed render, or none.
 */
export function pdfAvailability<T extends DocumentVersion>(documents: readonly T[]): PdfAvailability<T> {
  const newestFirst = [...documents].sort((a, b) => b.version - a.version);
  for (const kind of ['ready', 'pending', 'failed'] as const) {
    const document = newestFirst.find((candidate) => candidate.status === kind);
    if (document) return { kind, document };
  }
  return { kind: 'none' };
}
