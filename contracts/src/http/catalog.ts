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
  description: 'VAT or tax id (NIP, USt-IdNr, …)',
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

/** Body of `POST /v1/clients`. */
export const ClientCreateSchema = Type.Object(
  {
    name: NameSchema,
    email: Type.Optional(EmailSchema),
    taxId: Type.Optional(TaxIdSchema),
    companyNumber: Type.Optional(CompanyNumberSchema),
    address: Type.Optional(AddressSchema),
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
export const ClientSchema = Type.Object({
  id: IdSchema,
  ...ClientCreateSchema.properties,
  version: Type.Integer({ minimum: 1, description: 'Increases with every change; also the ETag' }),
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
});
export type Client = Static<typeof ClientSchema>;

/** Query of `GET /v1/clients`: cursor page, optional case-insensitive name search. */
export const ClientListQuerySchema = Type.Object({
  ...PageQuerySchema.properties,
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name' })),
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
export const ProductSchema = Type.Object({
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
  version: Type.Integer({ minimum: 1, description: 'Increases with every change; also the ETag' }),
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
});
export type Product = Static<typeof ProductSchema>;

/** Query of `GET /v1/products`: cursor page, optional case-insensitive name or SKU search. */
export const ProductListQuerySchema = Type.Object({
  ...PageQuerySchema.properties,
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name or SKU' })),
});
export type ProductListQuery = Static<typeof ProductListQuerySchema>;

/** A page of products ordered by id (creation order). */
export const ProductPageSchema = PageOf(ProductSchema);

/** Path parameters of a single catalog resource. */
export const CatalogIdParamsSchema = Type.Object({ id: IdSchema });
