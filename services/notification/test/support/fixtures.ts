/** Small factories for test events and documents. */
import { createHash, randomBytes } from 'node:crypto';
import {
  newId,
  type DocumentRendered,
  type EmailVerificationRequested,
  type InvoiceSendRequested,
} from '@invoice/contracts';

/** An `auth.email-verification.requested.v1` payload. */
export function verificationRequest(
  overrides: Partial<EmailVerificationRequested> = {},
): EmailVerificationRequested {
  return {
    userId: newId(),
    email: `user-${randomBytes(4).toString('hex')}@example.com`,
    name: 'Ann Example',
    token: randomBytes(24).toString('base64url'),
    expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    ...overrides,
  };
}

/** An `invoicing.invoice.send-requested.v1` payload. */
export function sendRequest(overrides: Partial<InvoiceSendRequested> = {}): InvoiceSendRequested {
  const suffix = randomBytes(3).toString('hex');
  return {
    requestId: newId(),
    invoiceId: newId(),
    number: `INV-2026-${suffix}`,
    documentVersion: 1,
    to: [`buyer-${suffix}@example.com`, `accounts-${suffix}@example.com`],
    sellerName: 'Acme GmbH',
    buyerName: 'Globex Ltd',
    gross: '1190.00',
    due: '1190.00',
    currency: 'EUR',
    dueDate: '2026-12-25',
    ...overrides,
  };
}

/** Fake PDF bytes (the service attaches stored bytes as they are; it never parses them). */
export function pdfBytes(): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2048), Buffer.from('\n%%EOF\n')]);
}

/** A `document.rendered.v1` payload for bytes stored under `key`. */
export function renderedDocument(input: {
  invoiceId: string;
  number: string;
  bucket: string;
  key: string;
  bytes: Buffer;
  version?: number;
}): DocumentRendered {
  return {
    documentId: newId(),
    sourceType: 'invoice',
    sourceId: input.invoiceId,
    number: input.number,
    version: input.version ?? 1,
    bucket: input.bucket,
    key: input.key,
    sha256: createHash('sha256').update(input.bytes).digest('hex'),
    size: input.bytes.length,
    contentType: 'application/pdf',
  };
}
