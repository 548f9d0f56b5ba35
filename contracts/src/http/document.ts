/** Public HTTP schemas of the document service (rendered PDFs of issued documents). */
import { Type, type Static } from 'typebox';
import { DateTimeSchema, IdSchema } from '../primitives.ts';

/** Lifecycle of a document: pending (rendering) → ready (stored) | failed (cannot be rendered). */
export const DocumentStatusSchema = Type.Union(
  [Type.Literal('pending'), Type.Literal('ready'), Type.Literal('failed')],
  { description: 'Rendering status' },
);
export type DocumentStatus = Static<typeof DocumentStatusSchema>;

/** What a document was rendered from. */
export const DocumentSourceTypeSchema = Type.Union([
  Type.Literal('invoice'),
  Type.Literal('credit_note'),
  Type.Literal('quote'),
]);

/** Metadata of one rendered version of an issued document (the file itself is downloaded from S3). */
export const DocumentSchema = Type.Object(
  {
    id: IdSchema,
    sourceType: DocumentSourceTypeSchema,
    sourceId: IdSchema,
    number: Type.String({ description: 'Number of the source document', examples: ['INV-2026-0001'] }),
    version: Type.Integer({ minimum: 1, description: 'Version of the source document it shows' }),
    status: DocumentStatusSchema,
    contentType: Type.Literal('application/pdf'),
    sha256: Type.Union([Type.String({ pattern: '^[a-f0-9]{64}$' }), Type.Null()], {
      description: 'SHA-256 of the stored file, once ready',
    }),
    size: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'Bytes, once ready' }),
    attempts: Type.Integer({ minimum: 0, description: 'Render attempts so far' }),
    error: Type.Union([Type.String(), Type.Null()], { description: 'Why rendering failed, when it did' }),
    createdAt: DateTimeSchema,
    renderedAt: Type.Union([DateTimeSchema, Type.Null()]),
  },
  { title: 'Document' },
);
export type DocumentView = Static<typeof DocumentSchema>;

/** `GET /v1/invoices/{id}/pdf` answer while the PDF is still being rendered (202, `Retry-After`). */
export const DocumentPendingSchema = Type.Object(
  {
    status: Type.Literal('pending'),
    documentId: IdSchema,
  },
  { title: 'DocumentPending' },
);
export type DocumentPending = Static<typeof DocumentPendingSchema>;

/** Path parameter `{id}` of `/v1/invoices/{id}/pdf` and `/v1/documents/{id}`. */
export const DocumentIdParamsSchema = Type.Object({ id: IdSchema });
export type DocumentIdParams = Static<typeof DocumentIdParamsSchema>;
