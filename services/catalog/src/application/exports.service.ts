/**
 * The product and client exports: the list's filters and sort, read in keyset batches of
 * {@link BATCH} plain rows (no entities, nothing tracked), written as CSV or XLSX columns.
 */
import type { Readable } from 'node:stream';
import { canonicalDecimal, type Address } from '@invoice/contracts';
import type { EntityManager, MikroORM } from '@invoice/platform-db';
import type { FilterQuery } from '@mikro-orm/core';
import { ClientEntity, type ClientRow } from '../db/client.entity.ts';
import { ProductEntity, type ProductRow } from '../db/product.entity.ts';
import { loadTree } from './categories.service.ts';
import { clientWhere, type ClientFilter } from './clients.service.ts';
import { csvStream, xlsxStream, type Column, type ExportFormat } from './export.ts';
import {
  afterCursor,
  encodeProductCursor,
  productOrder,
  productWhere,
  type ProductFilter,
} from './product-query.ts';

/** Rows per database read. */
export const BATCH = 1000;

/** How an export is written. */
export interface ExportOptions {
  format: ExportFormat;
  separator: ',' | ';';
}

/** The product export columns; with a category filter, one column per attribute it defines as well. */
export async function exportProducts(
  orm: MikroORM,
  orgId: string,
  filter: ProductFilter,
  options: ExportOptions,
): Promise<Readable> {
  const em = orm.em.fork();
  const where = await productWhere(em, orgId, filter); // validates categoryId before the stream starts
  const columns: Column<ProductRow>[] = [
    { header: 'id', value: (r) => r.id },
    { header: 'name', value: (r) => r.name },
    { header: 'sku', value: (r) => r.sku },
    { header: 'description', value: (r) => r.description },
    { header: 'unitPrice', value: (r) => canonicalDecimal(r.unitPrice, 2) },
    { header: 'currency', value: (r) => r.currency },
    { header: 'unitCode', value: (r) => r.unitCode },
    { header: 'vatRate', value: (r) => (r.vatRate ? canonicalDecimal(r.vatRate) : null) },
    { header: 'categoryId', value: (r) => r.categoryId },
    { header: 'archivedAt', value: (r) => r.archivedAt?.toISOString() },
    { header: 'attributes', value: (r) => JSON.stringify(r.attributes ?? {}) },
  ];
  if (filter.categoryId) {
    const tree = await loadTree(em, orgId);
    for (const definition of tree.effective(filter.categoryId)) {
      columns.push({ header: `attribute:${definition.key}`, value: (r) => r.attributes?.[definition.key] });
    }
  }
  const rows = batches<ProductRow>(orm, ProductEntity, where, filter.sort);
  return options.format === 'xlsx'
    ? xlsxStream(rows, columns, 'Products')
    : csvStream(rows, columns, options.separator);
}

/** The client export columns (addresses flattened, invoice emails space-separated). */
export function exportClients(
  orm: MikroORM,
  orgId: string,
  filter: ClientFilter,
  options: ExportOptions,
): Readable {
  const address = (prefix: string, pick: (r: ClientRow) => Address | null | undefined): Column<ClientRow>[] =>
    (['line1', 'line2', 'city', 'postalCode', 'region', 'country'] as const).map((key) => ({
      header: `${prefix}.${key}`,
      value: (r) => pick(r)?.[key],
    }));
  const columns: Column<ClientRow>[] = [
    { header: 'id', value: (r) => r.id },
    { header: 'name', value: (r) => r.name },
    { header: 'email', value: (r) => r.email },
    { header: 'invoiceEmails', value: (r) => r.invoiceEmails?.join(' ') },
    { header: 'taxId', value: (r) => r.taxId },
    { header: 'companyNumber', value: (r) => r.companyNumber },
    ...address('address', (r) => r.address),
    ...address('shippingAddress', (r) => r.shippingAddress),
    { header: 'contact.name', value: (r) => r.contact?.name },
    { header: 'contact.email', value: (r) => r.contact?.email },
    { header: 'contact.phone', value: (r) => r.contact?.phone },
    { header: 'defaultCurrency', value: (r) => r.defaultCurrency },
    { header: 'paymentTermsDays', value: (r) => r.paymentTermsDays },
    { header: 'language', value: (r) => r.language },
    { header: 'notes', value: (r) => r.notes },
    { header: 'archivedAt', value: (r) => r.archivedAt?.toISOString() },
  ];
  const rows = batches<ClientRow>(orm, ClientEntity, clientWhere(orgId, filter), filter.sort);
  return options.format === 'xlsx'
    ? xlsxStream(rows, columns, 'Clients')
    : csvStream(rows, columns, options.separator);
}

/** Every row of `where` in the list's order, a batch at a time (keyset paging, fresh identity map per batch). */
async function* batches<Row extends { id: string; createdAt: Date }>(
  orm: MikroORM,
  entity: typeof ProductEntity | typeof ClientEntity,
  where: FilterQuery<Row>,
  sort: string | undefined,
): AsyncGenerator<Row[]> {
  let after: FilterQuery<Row> | undefined;
  for (;;) {
    // Plain rows (property names, no entities): nothing is tracked, so a batch is garbage as soon
    // as it is written.
    const em: EntityManager = orm.em.fork();
    const rows = await em
      .createQueryBuilder(entity as never)
      .select('*')
      .where((after ? { $and: [where, after] } : where) as never)
      .orderBy(productOrder(sort) as never)
      .limit(BATCH)
      .execute<Row[]>('all', true);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < BATCH) return;
    after = afterCursor<Row>(encodeProductCursor(rows.at(-1)!, sort), sort);
  }
}
