/** A rendered (or to-be-rendered) file of one version of a source document. */
import { defineEntity, p } from '@invoice/platform-db';
import type { InferEntity } from '@mikro-orm/core';
import type { DocumentStatus } from '@invoice/contracts';

export const DocumentEntity = defineEntity({
  name: 'Document',
  tableName: 'documents',
  properties: {
    id: p.uuid().primary(),
    orgId: p.uuid().name('org_id'),
    sourceType: p.text().name('source_type'),
    sourceId: p.uuid().name('source_id'),
    number: p.text(),
    version: p.integer(),
    /** `pending` (a render job should exist) → `ready` (stored in S3) or `failed` (permanently). */
    status: p.text().$type<DocumentStatus>(),
    /** The snapshot the file is rendered from (as received in the event). */
    source: p.json<Record<string, unknown>>(),
    attempts: p.integer(),
    s3Bucket: p.text().name('s3_bucket'),
    s3Key: p.text().name('s3_key'),
    contentType: p.text().name('content_type'),
    sha256: p.text().nullable(),
    size: p.integer().nullable(),
    error: p.text().nullable(),
    createdAt: p.datetime().name('created_at'),
    updatedAt: p.datetime().name('updated_at'),
    renderedAt: p.datetime().name('rendered_at').nullable(),
  },
});

/** A document row. */
export type DocumentRow = InferEntity<typeof DocumentEntity>;
