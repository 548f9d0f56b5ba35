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
