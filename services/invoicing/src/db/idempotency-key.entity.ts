/** A remembered response to a POST carrying an `Idempotency-Key` (a replay returns it unchanged). */
import { defineEntity, p } from '@invoice/platform-db';

export const IdempotencyKeyEntity = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  properties: {
    orgId: p.uuid().primary(),
    key: p.text().primary(),
    requestHash: p.text(),
    statusCode: p.integer().nullable(),
    responseBody: p.json<unknown>().nullable(),
    responseHeaders: p.json<Record<string, string>>().nullable(),
    createdAt: p.datetime(),
  },
});
