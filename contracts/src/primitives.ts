/**
 * Shared primitives for HTTP bodies and event payloads: ids, decimal-string money, ISO codes, dates.
 * Money and quantities always travel as decimal strings ("1234.50"), never as JSON numbers.
 */
import { Type, type Static } from 'typebox';
import { COUNTRY_CODES, CURRENCY_CODES } from './reference/iso.ts';

/** A UUID (v4 or v7) as a lowercase string. */
export const IdSchema = Type.String({ format: 'uuid', description: 'UUID' });
export type Id = Static<typeof IdSchema>;

/** A signed decimal number as a string, e.g. "-12.5", "1234.50". No exponent, no thousands separator. */
export const DecimalStringSchema = Type.String({
  pattern: '^-?(0|[1-9][0-9]{0,14})(\\.[0-9]{1,6})?$',
  description: 'Decimal number as a string (up to 15 integer and 6 fraction digits)',
  examples: ['1234.50'],
});
export type DecimalString = Static<typeof DecimalStringSchema>;

/** A non-negative decimal string. */
export const NonNegativeDecimalStringSchema = Type.String({
  pattern: '^(0|[1-9][0-9]{0,14})(\\.[0-9]{1,6})?$',
  description: 'Non-negative decimal number as a string',
  examples: ['19.00'],
});

/** An active ISO 4217 alphabetic currency code (upper case); not just the shape: `XYZ` is refused. */
export const CurrencyCodeSchema = Type.String({
  pattern: '^[A-Z]{3}$',
  enum: [...CURRENCY_CODES],
  description: 'ISO 4217 currency code',
  examples: ['EUR'],
});
export type CurrencyCode = Static<typeof CurrencyCodeSchema>;

/** An assigned ISO 3166-1 alpha-2 country code (upper case); `UK` and `QQ` are refused. */
export const CountryCodeSchema = Type.String({
  pattern: '^[A-Z]{2}$',
  enum: [...COUNTRY_CODES],
  description: 'ISO 3166-1 alpha-2 country code',
  examples: ['DE'],
});
export type CountryCode = Static<typeof CountryCodeSchema>;

/** A calendar date, ISO 8601 `YYYY-MM-DD`. */
export const DateSchema = Type.String({
  format: 'date',
  description: 'ISO 8601 date',
  examples: ['2026-11-25'],
});
export type IsoDate = Static<typeof DateSchema>;

/** An instant, ISO 8601 / RFC 3339 with time zone. */
export const DateTimeSchema = Type.String({ format: 'date-time', description: 'RFC 3339 timestamp' });
export type IsoDateTime = Static<typeof DateTimeSchema>;

/** A UN/ECE Recommendation 20 unit code (e.g. C62 one, HUR hour, KGM kilogram). */
export const UnitCodeSchema = Type.String({
  pattern: '^[A-Z0-9]{2,3}$',
  description: 'UN/ECE Recommendation 20 unit code',
  examples: ['C62', 'HUR', 'KGM'],
});

/** An email address (lower-cased by the services that store it). */
export const EmailSchema = Type.String({ format: 'email', maxLength: 254 });

/** A postal address. */
export const AddressSchema = Type.Object(
  {
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    postalCode: Type.String({ minLength: 1, maxLength: 20 }),
    region: Type.Optional(Type.String({ maxLength: 100 })),
    country: CountryCodeSchema,
  },
  { additionalProperties: false },
);
export type Address = Static<typeof AddressSchema>;

/** Cursor pagination query (`?limit=&cursor=`). */
export const PageQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

/** A page of items with the cursor for the next one (null when there is none). */
export const PageOf = <T extends ReturnType<typeof Type.Object>>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
