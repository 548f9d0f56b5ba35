/**
 * The product write of one import batch, inside the batch's transaction: new products are inserted
 * and (with `matchBy: sku`) products of the same SKU updated, each with its
 * `catalog.product.upserted.v1` event in the outbox, like every other product write. Rows are
 * normalized and checked before they get here (`imports/convert.ts`, the product contract and the
 * category's definitions); a product whose fields would not change keeps its version and gets no
 * event, so importing the same file again changes nothing. Set-based statements (one insert, one
 * update, one outbox insert per batch) keep a 100,000-row file within seconds.
 */
import { createEnvelope, newId, Subjects, type AttributeDefinition } from '@invoice/contracts';
import { qualified, type EntityManager } from '@invoice/platform-db';
import { prepareOutboxRow } from '@invoice/platform-outbox';
import type { ProductRow } from '../db/product.entity.ts';
import { sameJson } from '../domain/patch.ts';
import type { ProductFields } from '../domain/product.rules.ts';
import { productFieldsOf, toProductSnapshot } from './product.mapper.ts';

/** One row to write, with the position the caller uses to report its outcome. */
export interface ImportItem {
  ref: number;
  fields: ProductFields;
}

/** What happened to each item. */
export interface ImportBatchOutcome {
  created: number;
  updated: number;
  unchanged: number;
  /** Items refused here (their SKU belongs to another product and the run does not match by SKU). */
  refused: { ref: number; column: 'sku'; message: string }[];
}

const COLUMNS = `id uuid, name text, description text, sku text, unit_price numeric, currency text,
  unit_code text, vat_rate numeric, category_id uuid, attributes jsonb, version integer`;

/**
 * Writes the batch. `definitionsOf` gives the definitions that apply to a category (for the event's
 * invoice attributes). With `matchBy: 'sku'` an item whose SKU is a live product's updates it (the
 * mapped fields replace, attributes merge, the category becomes the import's); without, such an item
 * is refused.
 */
export async function writeImportBatch(
  em: EntityManager,
  orgId: string,
  items: readonly ImportItem[],
  matchBy: 'sku' | 'none',
  definitionsOf: (categoryId: string) => readonly AttributeDefinition[],
): Promise<ImportBatchOutcome> {
  const outcome: ImportBatchOutcome = { created: 0, updated: 0, unchanged: 0, refused: [] };
  const products = qualified(em, 'products');
  const skus = [...new Set(items.flatMap((item) => (item.fields.sku ? [item.fields.sku] : [])))];
  const existing = new Map<string, ProductRow>();
  if (skus.length > 0) {
    const rows = await em.execute<ProductDbRow[]>(
      `select id, org_id, name, description, sku, unit_price, currency, unit_code, vat_rate, category_id,
              attributes, version, created_at, updated_at, archived_at
         from ${products}
        where org_id = ? and deleted_at is null and sku = any(?::text[])
        order by id
        for update`,
      [orgId, `{${skus.map(arrayLiteral).join(',')}}`],
    );
    for (const row of rows) existing.set(row.sku!, fromDb(row));
  }
  const now = new Date();
  const inserts: ProductRow[] = [];
  const updates: ProductRow[] = [];
  for (const item of items) {
    const current = item.fields.sku ? existing.get(item.fields.sku) : undefined;
    if (!current) {
      inserts.push(newRow(orgId, item.fields, now));
      continue;
    }
    if (matchBy !== 'sku') {
      outcome.refused.push({ ref: item.ref, column: 'sku', message: 'is already used by another product' });
      continue;
    }
    const before = productFieldsOf(current);
    const next: ProductFields = {
      ...before,
      ...item.fields,
      attributes: { ...before.attributes, ...item.fields.attributes },
    };
    if (sameJson(before, { ...before, ...next })) {
      outcome.unchanged++;
      continue;
    }
    Object.assign(current, {
      name: next.name,
      description: next.description ?? null,
      unitPrice: next.unitPrice,
      currency: next.currency,
      unitCode: next.unitCode,
      vatRate: next.vatRate ?? null,
      categoryId: next.categoryId ?? null,
      attributes: next.attributes,
      version: current.version + 1,
      updatedAt: now,
    });
    updates.push(current);
  }
  if (inserts.length > 0) {
    await em.execute(
      `insert into ${products} (id, org_id, name, description, sku, unit_price, currency, unit_code, vat_rate,
                               category_id, attributes, version, created_at, updated_at)
       select x.id, ?, x.name, x.description, x.sku, x.unit_price, x.currency, x.unit_code, x.vat_rate,
              x.category_id, x.attributes, x.version, ?, ?
         from jsonb_to_recordset(?::jsonb) as x(${COLUMNS})`,
      [orgId, now, now, JSON.stringify(inserts.map(toDbRecord))],
    );
  }
  if (updates.length > 0) {
    await em.execute(
      `update ${products} p
          set name = x.name, description = x.description, unit_price = x.unit_price, currency = x.currency,
              unit_code = x.unit_code, vat_rate = x.vat_rate, category_id = x.category_id,
              attributes = x.attributes, version = x.version, updated_at = ?
         from jsonb_to_recordset(?::jsonb) as x(${COLUMNS})
        where p.id = x.id and p.org_id = ?`,
      [now, JSON.stringify(updates.map(toDbRecord)), orgId],
    );
  }
  // Each envelope is checked against its contract (prepareOutboxRow); its JSON text is the payload.
  const envelopes = [...inserts, ...updates].map((row) => {
    const envelope = createEnvelope({
      type: Subjects.ProductUpserted,
      source: 'catalog',
      orgId,
      subject: row.id,
      time: now,
      data: { product: toProductSnapshot(row, row.categoryId ? definitionsOf(row.categoryId) : []) },
    });
    return prepareOutboxRow(envelope).payload;
  });
  if (envelopes.length > 0) {
    await em.execute(
      `insert into ${qualified(em, 'outbox')} (id, subject, payload)
       select (e->>'id')::uuid, e->>'type', e from jsonb_array_elements(?::jsonb) e`,
      [`[${envelopes.join(',')}]`],
    );
  }
  outcome.created = inserts.length;
  outcome.updated = updates.length;
  return outcome;
}

interface ProductDbRow {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  sku: string | null;
  unit_price: string;
  currency: string;
  unit_code: string;
  vat_rate: string | null;
  category_id: string | null;
  attributes: ProductRow['attributes'];
  version: number;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
}

function fromDb(row: ProductDbRow): ProductRow {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    description: row.description,
    sku: row.sku,
    unitPrice: row.unit_price,
    currency: row.currency,
    unitCode: row.unit_code,
    vatRate: row.vat_rate,
    categoryId: row.category_id,
    attributes: row.attributes,
    version: row.version,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    archivedAt: row.archived_at,
    deletedAt: null,
  } as ProductRow;
}

function newRow(orgId: string, fields: ProductFields, now: Date): ProductRow {
  return {
    id: newId(),
    orgId,
    name: fields.name,
    description: fields.description ?? null,
    sku: fields.sku ?? null,
    unitPrice: fields.unitPrice,
    currency: fields.currency,
    unitCode: fields.unitCode,
    vatRate: fields.vatRate ?? null,
    categoryId: fields.categoryId ?? null,
    attributes: fields.attributes,
    version: 1,
    createdAt: now,
    updatedAt: now,
    archivedAt: null,
    deletedAt: null,
  } as ProductRow;
}

function toDbRecord(row: ProductRow): Record<string, unknown> {
  return {
    id: row.id,
    name: row.name,
    description: row.description ?? null,
    sku: row.sku ?? null,
    unit_price: row.unitPrice,
    currency: row.currency,
    unit_code: row.unitCode,
    vat_rate: row.vatRate ?? null,
    category_id: row.categoryId ?? null,
    attributes: row.attributes,
    version: row.version,
  };
}

/** A text as an element of a Postgres array literal. */
function arrayLiteral(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
