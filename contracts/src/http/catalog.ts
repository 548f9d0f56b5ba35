/**
 * Public HTTP schemas of the catalog service: clients (customers) and products.
 * Create bodies list the required fields; PATCH bodies take any subset, where `null` clears an
 * optional field and nested objects (`address`, `contact`, `attributes`) are replaced as a whole.
 * Unknown fields are rejected (no mass assignment of `id`, `version`, …).
 */
import { Type, type Static, type TSchema } from 'typebox';
import {
  AddressSchema,
  CurrencyCodeSchema,
  DateTimeSchema,
  EmailSchema,
  IdSchema,
  PageOf,
  PageQuerySchema,
  UnitCodeSchema,
} from '../primitives.ts';

/** An optional field that `null` clears (PATCH bodies). */
const nullable = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);

/** A display name: 1–200 characters with at least one that is not a space. */
export const NameSchema = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });

/** A BCP 47 language tag (`en`, `pl`, `de-CH`), used for documents and emails sent to the client. */
export const LanguageTagSchema = Type.String({
  pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$',
  maxLength: 35,
  description: 'BCP 47 language tag',
  examples: ['en', 'de-CH'],
});

/** The contact person at a client. */
export const ClientContactSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    email: Type.Optional(EmailSchema),
    phone: Type.Optional(Type.String({ pattern: '^[0-9+()./ -]{3,50}$', examples: ['+48 22 123 45 67'] })),
  },
  { additionalProperties: false },
);
export type ClientContact = Static<typeof ClientContactSchema>;

const TaxIdSchema = Type.String({
  minLength: 1,
  maxLength: 50,
  format: 'tax-id',
  description:
    "VAT or tax id (NIP, USt-IdNr, …); one written as a European VAT number (country prefix, then the number) must have that country's VAT number shape",
});
const CompanyNumberSchema = Type.String({
  minLength: 1,
  maxLength: 50,
  description: 'Company register number',
});
const PaymentTermsDaysSchema = Type.Integer({
  minimum: 0,
  maximum: 365,
  description: 'Default days until due',
});
const NotesSchema = Type.String({
  maxLength: 5000,
  description: 'Internal notes, never sent to other services',
});

/** Where goods go when it differs from the billing `address` (same shape). */
const ShippingAddressSchema = AddressSchema;

/** Where invoices are sent: up to 10 addresses (the first is the main one). */
const InvoiceEmailsSchema = Type.Array(EmailSchema, {
  minItems: 1,
  maxItems: 10,
  uniqueItems: true,
  description: 'Addresses invoices are sent to; the first is the main one',
});

/** Body of `POST /v1/clients`. */
export const ClientCreateSchema = Type.Object(
  {
    name: NameSchema,
    email: Type.Optional(EmailSchema),
    taxId: Type.Optional(TaxIdSchema),
    companyNumber: Type.Optional(CompanyNumberSchema),
    address: Type.Optional(AddressSchema),
    shippingAddress: Type.Optional(ShippingAddressSchema),
    invoiceEmails: Type.Optional(InvoiceEmailsSchema),
    contact: Type.Optional(ClientContactSchema),
    defaultCurrency: Type.Optional(CurrencyCodeSchema),
    paymentTermsDays: Type.Optional(PaymentTermsDaysSchema),
    language: Type.Optional(LanguageTagSchema),
    notes: Type.Optional(NotesSchema),
  },
  { additionalProperties: false },
);
export type ClientCreate = Static<typeof ClientCreateSchema>;

/** Body of `PATCH /v1/clients/{id}`: any subset; `null` clears an optional field. */
export const ClientPatchSchema = Type.Object(
  {
    name: Type.Optional(NameSchema),
    email: Type.Optional(nullable(EmailSchema)),
    taxId: Type.Optional(nullable(TaxIdSchema)),
    companyNumber: Type.Optional(nullable(CompanyNumberSchema)),
    address: Type.Optional(nullable(AddressSchema)),
    shippingAddress: Type.Optional(nullable(ShippingAddressSchema)),
    invoiceEmails: Type.Optional(nullable(InvoiceEmailsSchema)),
    contact: Type.Optional(nullable(ClientContactSchema)),
    defaultCurrency: Type.Optional(nullable(CurrencyCodeSchema)),
    paymentTermsDays: Type.Optional(nullable(PaymentTermsDaysSchema)),
    language: Type.Optional(nullable(LanguageTagSchema)),
    notes: Type.Optional(nullable(NotesSchema)),
  },
  { additionalProperties: false },
);
export type ClientPatch = Static<typeof ClientPatchSchema>;

/** A client as the API returns it; absent optional fields are omitted. */
export const ClientSchema = Type.Object(
  {
    id: IdSchema,
    ...ClientCreateSchema.properties,
    archivedAt: Type.Optional(DateTimeSchema),
    version: Type.Integer({ minimum: 1, description: 'Increases with every change; also the ETag' }),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  },
  { title: 'Client' },
);
export type Client = Static<typeof ClientSchema>;

/** Which rows a list or export shows by archive state. */
export const ArchiveFilterSchema = Type.Union(
  [Type.Literal('active'), Type.Literal('archived'), Type.Literal('all')],
  {
    default: 'active',
    description: '`active` (default): not archived; `archived`: archived only; `all`: both',
  },
);

/** The sorts of the client list; `-` sorts descending. Ties are broken by id. */
export const ClientSortSchema = Type.Union(
  ['id', 'name', '-name', 'createdAt', '-createdAt'].map((sort) => Type.Literal(sort)),
  { default: 'id', description: 'Sort order; `-` for descending. `id` is creation order.' },
);

/** The filters of the client list, shared by the export. */
export const ClientFilterSchema = Type.Object({
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Start of the name, the email or the tax id (case-insensitive)',
    }),
  ),
  status: Type.Optional(ArchiveFilterSchema),
  sort: Type.Optional(ClientSortSchema),
});

/** Query of `GET /v1/clients`: cursor page, prefix search, archive state, sort. */
export const ClientListQuerySchema = Type.Object({
  ...PageQuerySchema.properties,
  ...ClientFilterSchema.properties,
});
export type ClientListQuery = Static<typeof ClientListQuerySchema>;

/** A page of clients ordered by id (creation order). */
export const ClientPageSchema = PageOf(ClientSchema);

/** A unit price: non-negative decimal string, up to 13 integer and 6 fraction digits (numeric(19,6)). */
export const UnitPriceSchema = Type.String({
  pattern: '^(0|[1-9][0-9]{0,12})(\\.[0-9]{1,6})?$',
  description: 'Non-negative decimal string, up to 13 integer and 6 fraction digits',
  examples: ['1234.50', '0.125'],
});

/** A VAT rate in percent as a decimal string from 0 to 100 (up to 6 fraction digits). */
export const VatRateSchema = Type.String({
  pattern: '^(100(\\.0{1,6})?|[1-9]?[0-9](\\.[0-9]{1,6})?)$',
  description: 'VAT rate in percent, 0 to 100',
  examples: ['23', '7.5'],
});

/** A stock keeping unit, unique per organization; no leading or trailing spaces. */
export const SkuSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S(.*\\S)?$' });

/** One attribute value: a string (up to 500 characters), a number or a boolean, kept as sent. */
export const ProductAttributeValueSchema = Type.Unsafe<string | number | boolean>({
  type: ['string', 'number', 'boolean'],
  maxLength: 500,
});

/** Custom product attributes (the original system's per-category columns): small, flat, typed values. */
export const ProductAttributesSchema = Type.Record(Type.String(), ProductAttributeValueSchema, {
  maxProperties: 50,
  propertyNames: { minLength: 1, maxLength: 64 },
});
export type ProductAttributes = Static<typeof ProductAttributesSchema>;

const DescriptionSchema = Type.String({ maxLength: 2000 });
const ProductUnitCodeSchema = Type.String({
  pattern: '^[A-Z0-9]{2,3}$',
  default: 'C62',
  description: 'UN/ECE Recommendation 20 unit code; C62 ("one") when omitted',
  examples: ['C62', 'HUR', 'KGM'],
});

/** Body of `POST /v1/products`. */
export const ProductCreateSchema = Type.Object(
  {
    name: NameSchema,
    description: Type.Optional(DescriptionSchema),
    sku: Type.Optional(SkuSchema),
    unitPrice: UnitPriceSchema,
    currency: CurrencyCodeSchema,
    unitCode: Type.Optional(ProductUnitCodeSchema),
    vatRate: Type.Optional(VatRateSchema),
    categoryId: Type.Optional(IdSchema),
    attributes: Type.Optional(ProductAttributesSchema),
  },
  { additionalProperties: false },
);
export type ProductCreate = Static<typeof ProductCreateSchema>;

/** Body of `PATCH /v1/products/{id}`: any subset; `null` clears an optional field. */
export const ProductPatchSchema = Type.Object(
  {
    name: Type.Optional(NameSchema),
    description: Type.Optional(nullable(DescriptionSchema)),
    sku: Type.Optional(nullable(SkuSchema)),
    unitPrice: Type.Optional(UnitPriceSchema),
    currency: Type.Optional(CurrencyCodeSchema),
    unitCode: Type.Optional(UnitCodeSchema),
    vatRate: Type.Optional(nullable(VatRateSchema)),
    categoryId: Type.Optional(nullable(IdSchema)),
    attributes: Type.Optional(ProductAttributesSchema),
  },
  { additionalProperties: false },
);
export type ProductPatch = Static<typeof ProductPatchSchema>;

/** A product as the API returns it; absent optional fields are omitted. */
export const ProductSchema = Type.Object(
  {
    id: IdSchema,
    name: Type.String(),
    description: Type.Optional(Type.String()),
    sku: Type.Optional(Type.String()),
    unitPrice: Type.String({ description: 'Decimal string' }),
    currency: CurrencyCodeSchema,
    unitCode: UnitCodeSchema,
    vatRate: Type.Optional(Type.String({ description: 'Percent, decimal string' })),
    categoryId: Type.Optional(IdSchema),
    attributes: ProductAttributesSchema,
    archivedAt: Type.Optional(DateTimeSchema),
    version: Type.Integer({ minimum: 1, description: 'Increases with every change; also the ETag' }),
    createdAt: DateTimeSchema,
    updatedAt: DateTimeSchema,
  },
  { title: 'Product' },
);
export type Product = Static<typeof ProductSchema>;

/** The sorts of the product list; `-` sorts descending. Ties are broken by id. */
export const ProductSortSchema = Type.Union(
  ['id', 'name', '-name', 'createdAt', '-createdAt', 'unitPrice', '-unitPrice'].map((sort) =>
    Type.Literal(sort),
  ),
  { default: 'id', description: 'Sort order; `-` for descending. `id` is creation order.' },
);
export type ProductSort = 'id' | 'name' | '-name' | 'createdAt' | '-createdAt' | 'unitPrice' | '-unitPrice';

/** The filters of the product list, shared by the export. */
export const ProductFilterSchema = Type.Object({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name or SKU' })),
  categoryId: Type.Optional(IdSchema),
  descendants: Type.Optional(
    Type.Boolean({
      default: true,
      description: 'With `categoryId`: include products of its subcategories (default) or only its own',
    }),
  ),
  status: Type.Optional(ArchiveFilterSchema),
  sort: Type.Optional(ProductSortSchema),
});

/** Query of `GET /v1/products`: cursor page, search, category filter, archive state and sort. */
export const ProductListQuerySchema = Type.Object({
  ...PageQuerySchema.properties,
  ...ProductFilterSchema.properties,
});
export type ProductListQuery = Static<typeof ProductListQuerySchema>;

/** A page of products ordered by id (creation order). */
export const ProductPageSchema = PageOf(ProductSchema);

/** Path parameters of a single catalog resource. */
export const CatalogIdParamsSchema = Type.Object({ id: IdSchema });

// ---------------------------------------------------------------------------------------------
// Categories and their attribute definitions.

/** The value types an attribute definition can declare. */
export const AttributeTypeSchema = Type.Union(
  [
    Type.Literal('text'),
    Type.Literal('number'),
    Type.Literal('decimal'),
    Type.Literal('date'),
    Type.Literal('boolean'),
    Type.Literal('enum'),
  ],
  {
    description:
      'text: a string; number: a JSON number; decimal: a decimal string ("12.50"); date: "YYYY-MM-DD"; boolean: true/false; enum: one of `options`',
  },
);
export type AttributeType = Static<typeof AttributeTypeSchema>;

/** One product attribute a category declares (a column of the original per-category spreadsheet). */
export const AttributeDefinitionSchema = Type.Object(
  {
    key: Type.String({
      pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$',
      description: 'The key in `product.attributes`',
      examples: ['color', 'weight_kg'],
    }),
    label: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    type: AttributeTypeSchema,
    options: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
        minItems: 1,
        maxItems: 200,
        uniqueItems: true,
        description: 'The allowed values of an enum attribute (required for, and only for, type enum)',
      }),
    ),
    required: Type.Optional(Type.Boolean({ default: false })),
    showOnInvoice: Type.Optional(
      Type.Boolean({ default: false, description: 'Printed on invoice lines of the product' }),
    ),
  },
  { additionalProperties: false },
);
export type AttributeDefinition = Static<typeof AttributeDefinitionSchema>;

/** A category's own definitions (inherited ones come from its ancestors). */
export const AttributeDefinitionsSchema = Type.Array(AttributeDefinitionSchema, { maxItems: 50 });

const CategoryDescriptionSchema = Type.String({ maxLength: 2000 });
const PositionSchema = Type.Integer({
  minimum: 0,
  maximum: 1_000_000,
  description: 'Order among siblings (then by name)',
});

/** Most levels one create may carry (the tree itself may grow deeper through later creates and moves). */
export const CATEGORY_CREATE_DEPTH = 5;

function categoryNodeSchema(depth: number): ReturnType<typeof Type.Object> {
  const properties: Record<string, TSchema> = {
    name: NameSchema,
    description: Type.Optional(CategoryDescriptionSchema),
    position: Type.Optional(PositionSchema),
    attributes: Type.Optional(AttributeDefinitionsSchema),
  };
  if (depth > 1) {
    properties['children'] = Type.Optional(
      Type.Array(categoryNodeSchema(depth - 1), {
        maxItems: 100,
        description: 'Subcategories created in the same transaction',
      }),
    );
  }
  return Type.Object(properties, { additionalProperties: false });
}

/** A category to create under a parent, with its own children (the whole tree in one transaction). */
export interface CategoryNodeCreate {
  name: string;
  description?: string;
  position?: number;
  attributes?: AttributeDefinition[];
  children?: CategoryNodeCreate[];
}

/** Body of `POST /v1/categories`: a category (at the root or under `parentId`), optionally with children. */
export const CategoryCreateSchema = Type.Object(
  {
    parentId: Type.Optional(IdSchema),
    ...categoryNodeSchema(CATEGORY_CREATE_DEPTH).properties,
  },
  { additionalProperties: false },
);
export type CategoryCreate = CategoryNodeCreate & { parentId?: string };

/** Body of `PATCH /v1/categories/{id}`: rename, describe, reorder, move (`parentId`, `null` = root), redefine. */
export const CategoryPatchSchema = Type.Object(
  {
    name: Type.Optional(NameSchema),
    description: Type.Optional(nullable(CategoryDescriptionSchema)),
    position: Type.Optional(PositionSchema),
    parentId: Type.Optional(nullable(IdSchema)),
    attributes: Type.Optional(AttributeDefinitionsSchema),
  },
  { additionalProperties: false },
);
export type CategoryPatch = Static<typeof CategoryPatchSchema>;

const categoryProperties = {
  id: IdSchema,
  parentId: Type.Optional(IdSchema),
  name: Type.String(),
  description: Type.Optional(Type.String()),
  position: Type.Integer(),
  attributes: Type.Array(AttributeDefinitionSchema, { description: 'Its own definitions' }),
  inheritedAttributes: Type.Array(AttributeDefinitionSchema, {
    description: 'Definitions of its ancestors (root first), which apply to its products as well',
  }),
  version: Type.Integer({ minimum: 1, description: 'Increases with every change; also the ETag' }),
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
};

/** A category as the API returns it. */
export const CategorySchema = Type.Object(categoryProperties, { title: 'Category' });
export type Category = Static<typeof CategorySchema>;

/** A category in the tree view; `children` are category tree nodes of the same shape, by position. */
export const CategoryTreeNodeSchema = Type.Object(
  {
    ...categoryProperties,
    children: Type.Optional(
      Type.Array(
        Type.Unsafe<unknown>({ type: 'object', additionalProperties: true, description: 'CategoryTreeNode' }),
        {
          description: 'Subcategories (tree view only), by position then name',
        },
      ),
    ),
  },
  { title: 'CategoryTreeNode' },
);
export type CategoryTreeNode = Category & { children?: CategoryTreeNode[] };

/** Query of `GET /v1/categories`: the whole tree, or the flat list (each with `parentId`). */
export const CategoryListQuerySchema = Type.Object({
  view: Type.Optional(
    Type.Union([Type.Literal('tree'), Type.Literal('flat')], {
      default: 'tree',
      description: '`tree`: roots with nested `children`; `flat`: every category, parents before children',
    }),
  ),
});
export type CategoryListQuery = Static<typeof CategoryListQuerySchema>;

/** `GET /v1/categories` answer. */
export const CategoryListSchema = Type.Object({
  items: Type.Array(CategoryTreeNodeSchema),
});

/** Query of `DELETE /v1/categories/{id}`: where the products and subcategories of a non-empty category go. */
export const CategoryDeleteQuerySchema = Type.Object({
  productsTo: Type.Optional(
    Type.String({
      pattern: '^(uncategorized|[0-9a-fA-F-]{36})$',
      description: 'A category id, or `uncategorized`: where the products of the category move',
    }),
  ),
  childrenTo: Type.Optional(
    Type.String({
      pattern: '^(root|[0-9a-fA-F-]{36})$',
      description: 'A category id, or `root`: the new parent of its subcategories',
    }),
  ),
});
export type CategoryDeleteQuery = Static<typeof CategoryDeleteQuerySchema>;

// ---------------------------------------------------------------------------------------------
// Bulk product operations.

/** Most products one bulk request may carry. */
export const BULK_MAX = 1000;

/** Body of `PATCH /v1/products`: up to 1,000 product changes, applied all or nothing. */
export const ProductBulkPatchSchema = Type.Object(
  {
    items: Type.Array(
      Type.Object({ id: IdSchema, ...ProductPatchSchema.properties }, { additionalProperties: false }),
      { minItems: 1, maxItems: BULK_MAX },
    ),
  },
  { additionalProperties: false },
);
export type ProductBulkPatch = Static<typeof ProductBulkPatchSchema>;

/** Answer of `PATCH /v1/products`: every product after the change, in request order. */
export const ProductBulkResultSchema = Type.Object({ items: Type.Array(ProductSchema) });

/** Body of the bulk actions (archive, unarchive, delete): up to 1,000 product ids. */
export const ProductIdsSchema = Type.Object(
  { ids: Type.Array(IdSchema, { minItems: 1, maxItems: BULK_MAX, uniqueItems: true }) },
  { additionalProperties: false },
);
export type ProductIds = Static<typeof ProductIdsSchema>;

/** Answer of a bulk action: each product's id and its version after the action. */
export const ProductBulkActionResultSchema = Type.Object({
  items: Type.Array(Type.Object({ id: IdSchema, version: Type.Integer({ minimum: 1 }) })),
});

// ---------------------------------------------------------------------------------------------
// Exports.

const ExportFormatProperties = {
  format: Type.Optional(
    Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], {
      default: 'csv',
      description: 'csv: RFC 4180, UTF-8 with BOM; xlsx: one sheet',
    }),
  ),
  separator: Type.Optional(
    Type.Union([Type.Literal('comma'), Type.Literal('semicolon')], {
      default: 'comma',
      description: 'CSV field separator (`semicolon` for spreadsheets set to a decimal comma)',
    }),
  ),
};

/** Query of `GET /v1/products/export`: the list's filters and sort, the format and separator. */
export const ProductExportQuerySchema = Type.Object({
  ...ProductFilterSchema.properties,
  ...ExportFormatProperties,
});
export type ProductExportQuery = Static<typeof ProductExportQuerySchema>;

/** Query of `GET /v1/clients/export`: the list's filters and sort, the format and separator. */
export const ClientExportQuerySchema = Type.Object({
  ...ClientFilterSchema.properties,
  ...ExportFormatProperties,
});
export type ClientExportQuery = Static<typeof ClientExportQuerySchema>;

/** The body of an export (a file, streamed). */
export const ExportFileSchema = Type.Unsafe<unknown>({
  type: 'string',
  format: 'binary',
  description: 'The file: CSV text or XLSX bytes, streamed',
});
