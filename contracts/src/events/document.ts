/** Events published by the document service. */
import { Type, type Static } from 'typebox';
import { IdSchema } from '../primitives.ts';

/** A document's PDF is stored in S3 and ready to download or attach. */
export const DocumentRenderedSchema = Type.Object({
  documentId: IdSchema,
  sourceType: Type.Union([Type.Literal('invoice'), Type.Literal('credit_note'), Type.Literal('quote')]),
  sourceId: IdSchema,
  number: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  bucket: Type.String(),
  key: Type.String(),
  sha256: Type.String({ pattern: '^[a-f0-9]{64}$' }),
  size: Type.Integer({ minimum: 1 }),
  contentType: Type.Literal('application/pdf'),
});
export type DocumentRendered = Static<typeof DocumentRenderedSchema>;

/** Rendering failed permanently. */
export const DocumentRenderFailedSchema = Type.Object({
  documentId: IdSchema,
  sourceType: Type.String(),
  sourceId: IdSchema,
  version: Type.Integer({ minimum: 1 }),
  reason: Type.String(),
});
export type DocumentRenderFailed = Static<typeof DocumentRenderFailedSchema>;
