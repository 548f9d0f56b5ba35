/** Every entity of the invoicing schema (for createOrm). */
import { outboxEntities } from '@invoice/platform-outbox';
import { InvoiceLineEntity } from './invoice-line.entity.ts';
import { InvoiceEntity } from './invoice.entity.ts';
import { NumberSeriesEntity } from './number-series.entity.ts';
import { ClientReplicaEntity } from './client-replica.entity.ts';
import { OrganizationReplicaEntity } from './organization-replica.entity.ts';
import { ProductReplicaEntity } from './product-replica.entity.ts';

export const entities = [
  InvoiceEntity,
  InvoiceLineEntity,
  NumberSeriesEntity,
  ClientReplicaEntity,
  ProductReplicaEntity,
  OrganizationReplicaEntity,
  ...outboxEntities,
];
