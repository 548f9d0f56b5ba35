/** Events published by the catalog service. */
import { Type, type Static } from 'typebox';
import {
  AddressSchema,
  CurrencyCodeSchema,
  DecimalStringSchema,
  IdSchema,
  UnitCodeSchema,
} from '../primitives.ts';

/** A client (customer) as other services replicate it. */
export const ClientSnapshotSchema = Type.Object({
  id: IdSchema,
  name: Type.String(),
  email: Type.Optional(Type.String()),
  taxId: Type.Optional(Type.String()),
  companyNumber: Type.Optional(Type.String()),
  address: Type.Optional(AddressSchema),
  contact: Type.Optional(
    Type.Object({
      name: Type.Optional(Type.String()),
      email: Type.Optional(Type.String()),
      phone: Type.Optional(Type.String()),
    }),
  ),
  defaultCurrency: Type.Optional(CurrencyCodeSchema),
  paymentTermsDays: Type.Optional(Type.Integer({ minimum: 0 })),
  language: Type.Optional(Type.String()),
  shippingAddress: Type.Optional(AddressSchema),
  invoiceEmails: Type.Optional(Type.Array(Type.String())),
  /** Archived: kept for existing invoices, offered for no new ones. */
  archived: Type.Optional(Type.Boolean()),
  version: Type.Integer({ minimum: 1 }),
});
export type ClientSnapshot = Static<typeof ClientSnapshotSchema>;

/** A product as other services replicate it. */
export const ProductSnapshotSchema = Type.Object({
  id: IdSchema,
  name: Type.String(),
  description: Type.Optional(Type.String()),
  sku: Type.Optional(Type.String()),
  unitPrice: DecimalStringSchema,
  currency: CurrencyCodeSchema,
  unitCode: UnitCodeSchema,
  vatRate: Type.Optional(DecimalStringSchema),
  categoryId: Type.Optional(IdSchema),
  /** Every attribute of the product, as stored. */
  attributes: Type.Optional(
    Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  ),
  /**
   * The attributes its category's definitions (own and inherited) mark "shown on invoices", in
   * definition order, with their labels: what an invoice line prints. Captured when the product is
   * written.
   */
  invoiceAttributes: Type.Optional(
    Type.Array(Type.Object({ key: Type.String(), label: Type.String(), value: Type.String() })),
  ),
  version: Type.Integer({ minimum: 1 }),
});
export type ProductSnapshot = Static<typeof ProductSnapshotSchema>;

export const ClientUpsertedSchema = Type.Object({ client: ClientSnapshotSchema });
export type ClientUpserted = Static<typeof ClientUpsertedSchema>;
/** A client was deleted; `version` orders the delete against a late upsert. */
export const ClientDeletedSchema = Type.Object({
  clientId: IdSchema,
  version: Type.Optional(Type.Integer({ minimum: 1 })),
});
export const ProductUpsertedSchema = Type.Object({ product: ProductSnapshotSchema });
export type ProductUpserted = Static<typeof ProductUpsertedSchema>;
/** A product was deleted; `version` orders the delete against a late upsert. */
export const ProductDeletedSchema = Type.Object({
  productId: IdSchema,
  version: Type.Optional(Type.Integer({ minimum: 1 })),
});

/** An attribute definition as other services replicate it. */
export const AttributeDefinitionSnapshotSchema = Type.Object({
  key: Type.String(),
  label: Type.String(),
  type: Type.String(),
  options: Type.Optional(Type.Array(Type.String())),
  required: Type.Optional(Type.Boolean()),
  showOnInvoice: Type.Optional(Type.Boolean()),
});

/** A category as other services replicate it: its own definitions (ancestors' apply as well). */
export const CategorySnapshotSchema = Type.Object({
  id: IdSchema,
  parentId: Type.Optional(IdSchema),
  name: Type.String(),
  description: Type.Optional(Type.String()),
  position: Type.Integer(),
  attributes: Type.Array(AttributeDefinitionSnapshotSchema),
  version: Type.Integer({ minimum: 1 }),
});
export type CategorySnapshot = Static<typeof CategorySnapshotSchema>;

/** A category was created or changed (renamed, moved, reordered, redefined). */
export const CategoryUpsertedSchema = Type.Object({ category: CategorySnapshotSchema });
export type CategoryUpserted = Static<typeof CategoryUpsertedSchema>;
/** A category was deleted; its products and subcategories were moved first (their own events). */
export const CategoryDeletedSchema = Type.Object({
  categoryId: IdSchema,
  version: Type.Integer({ minimum: 1 }),
});

/** Row counts of a finished import. */
export const ImportCountsSchema = Type.Object({
  created: Type.Integer({ minimum: 0 }),
  updated: Type.Integer({ minimum: 0 }),
  /** Rows that matched a product by SKU and changed nothing. */
  unchanged: Type.Integer({ minimum: 0 }),
  /** Empty rows under the header row. */
  skipped: Type.Integer({ minimum: 0 }),
  /** Rows refused with a row error (listed by `GET /v1/imports/{id}`). */
  failed: Type.Integer({ minimum: 0 }),
});

/**
 * A spreadsheet import ended: `completed` (every row read; `failed` counts the rows refused) or
 * `failed` (it stopped: its file expired or could not be read; rows of committed batches stay).
 * The products it wrote have their own `catalog.product.upserted.v1` events.
 */
export const ImportCompletedSchema = Type.Object({
  importId: IdSchema,
  status: Type.Union([Type.Literal('completed'), Type.Literal('failed')]),
  fileName: Type.String(),
  mode: Type.Union([Type.Literal('into-category'), Type.Literal('category-per-sheet')]),
  categoryIds: Type.Array(IdSchema),
  totalRows: Type.Integer({ minimum: 0 }),
  counts: ImportCountsSchema,
  failure: Type.Optional(Type.String()),
  createdBy: Type.Optional(Type.String()),
});
export type ImportCompleted = Static<typeof ImportCompletedSchema>;
