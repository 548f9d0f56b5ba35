import { defineEntity, p } from '@invoice/platform-db';

/** A rendered PDF this service knows about (from `document.rendered.v1`), attachable to emails. */
export const Document = defineEntity({
  name: 'Document',
  tableName: 'documents',
  properties: {
    sourceId: p.uuid().name('source_id').primary(),
    version: p.integer().primary(),
    orgId: p.uuid().name('org_id'),
    bucket: p.text(),
    key: p.text(),
    sha256: p.text(),
    number: p.text(),
    createdAt: p.datetime().name('created_at'),
  },
});
