/** A document number counter per organization, document type and period (the year, when the prefix shows it). */
import { defineEntity, p } from '@invoice/platform-db';

export const NumberSeriesEntity = defineEntity({
  name: 'NumberSeries',
  tableName: 'number_series',
  properties: {
    id: p.uuid().primary(),
    orgId: p.uuid(),
    documentType: p.string(),
    period: p.string(),
    prefix: p.string(),
    nextNumber: p.bigint('number'),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
