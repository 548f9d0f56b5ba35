/**
 * The pricing part of an invoice, quote or credit note as the public API takes it and as the money engine
 * (services/invoicing/src/domain/money) returns it. Names follow the EN 16931 business terms (BT-/BG-).
 * Every amount, quantity, rate and percentage is a decimal string; the server computes every total.
 */
import { Type, type Static } from 'typebox';
import {
  CurrencyCodeSchema,
  DecimalStringSchema,
  IdSchema,
  NonNegativeDecimalStringSchema,
  UnitCodeSchema,
} from '../primitives.ts';

/** UNCL5305 VAT category codes used by EN 16931 (BT-151, BT-95, BT-102, BT-118). */
export const VAT_CATEGORY_CODES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M'] as const;

/**
 * A VAT category: S standard, Z zero rated, E exempt, AE reverse charge, K intra-community supply,
 * G export outside the EU, O outside the scope of VAT, L Canary Islands IGIC, M Ceuta/Melilla IPSI.
 */
export const VatCategorySchema = Type.Union(
  [
    Type.Literal('S'),
    Type.Literal('Z'),
    Type.Literal('E'),
    Type.Literal('AE'),
    Type.Literal('K'),
    Type.Literal('G'),
    Type.Literal('O'),
    Type.Literal('L'),
    Type.Literal('M'),
  ],
  { description: 'UNCL5305 VAT category code' },
);
export type VatCategory = Static<typeof VatCategorySchema>;

/** How unit prices and allowance/charge amounts are entered: without tax (`net`) or tax-inclusive (`gross`). */
export const PriceModeSchema = Type.Union([Type.Literal('net'), Type.Literal('gross')], {
  description: 'net: prices exclude tax (default). gross: prices and amounts include VAT; nets are derived.',
});
export type PriceMode = Static<typeof PriceModeSchema>;

/** A rate in percent, e.g. "19", "9.975"; at most 100. */
const RateSchema = Type.String({
  pattern: '^(100(\\.0{1,6})?|[1-9]?[0-9](\\.[0-9]{1,6})?)$',
  description: 'Rate in percent (0 to 100)',
  examples: ['19', '9.975'],
});

/** A free-text reason (BT-97/BT-104/BT-139/BT-144) or exemption reason (BT-120). */
const ReasonSchema = Type.String({ minLength: 1, maxLength: 500 });

/**
 * A further tax stacked on the same taxable amount as VAT, for jurisdictions that levy more than one
 * (Canada GST + QST/PST, US state + city). Each is computed on the item's net amount (never on another
 * tax) and rounded once per (scheme, category, rate) group, like VAT. Not allowed with `priceMode: "gross"`.
 */
export const TaxSchema = Type.Object(
  {
    /** The tax scheme; `VAT` is reserved for the item's own VAT fields. */
    scheme: Type.String({
      pattern: '^[A-Z][A-Z0-9_]{1,15}$',
      description: 'Tax scheme code (not VAT), e.g. QST, PST, HST, STATE, COUNTY, CITY',
      examples: ['QST', 'STATE', 'CITY'],
    }),
    /** UNCL5305 category with the same rate rules as VAT; defaults to S. */
    category: Type.Optional(VatCategorySchema),
    rate: Type.Optional(RateSchema),
    exemptionReason: Type.Optional(ReasonSchema),
  },
  { additionalProperties: false },
);
export type TaxInput = Static<typeof TaxSchema>;

const allowanceChargeProperties = {
  /** Fixed amount (BT-136/BT-141/BT-92/BT-99), at most the currency's minor-unit decimals. */
  amount: Type.Optional(NonNegativeDecimalStringSchema),
  /** Percentage (BT-138/BT-143/BT-94/BT-101) of `base`; the amount is base × percent ÷ 100, rounded. */
  percent: Type.Optional(NonNegativeDecimalStringSchema),
  /** Base amount (BT-137/BT-142/BT-93/BT-100) for `percent`; defaults as documented on each schema. */
  base: Type.Optional(NonNegativeDecimalStringSchema),
  reason: Type.Optional(ReasonSchema),
  /** UNCL5189 (allowances) or UNCL7161 (charges) reason code. */
  reasonCode: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{1,3}$' })),
};

/**
 * A line allowance or charge (BG-27/BG-28): give `amount`, or `percent` with an optional `base` that
 * defaults to the line amount (quantity × unit price ÷ price base quantity), or all three as e-invoices
 * state them (the stated amount is used once it agrees with base × percent ÷ 100 within 0.02). Amounts are magnitudes: an
 * allowance moves the line toward zero and a charge away from it, so on a negative-quantity correction
 * line both are negated and the line mirrors the original exactly.
 */
export const LineAllowanceChargeSchema = Type.Object(allowanceChargeProperties, {
  additionalProperties: false,
});
export type LineAllowanceCharge = Static<typeof LineAllowanceChargeSchema>;

/**
 * A document-level allowance or charge (BG-20/BG-21) with its own VAT category and rate (BR-32, BR-37).
 * `percent` without `base` takes the sum of the line amounts with the same VAT category and rate.
 * The exemption reason is only needed when no line of that category gives one.
 */
export const AllowanceChargeSchema = Type.Object(
  {
    ...allowanceChargeProperties,
    /** BT-92/BT-99; negative only on a correction invoice whose lines of this VAT group are negative. */
    amount: Type.Optional(DecimalStringSchema),
    /** BT-93/BT-100; signed like `amount`. */
    base: Type.Optional(DecimalStringSchema),
    vatCategory: VatCategorySchema,
    vatRate: Type.Optional(RateSchema),
    vatExemptionReason: Type.Optional(ReasonSchema),
    vatExemptionReasonCode: Type.Optional(Type.String({ maxLength: 30 })),
    taxes: Type.Optional(Type.Array(TaxSchema, { maxItems: 4 })),
  },
  { additionalProperties: false },
);
export type AllowanceCharge = Static<typeof AllowanceChargeSchema>;

/** An item attribute (BG-32): a property of the item printed on the line, e.g. colour or size. */
export const ItemAttributeSchema = Type.Object(
  {
    /** Item attribute name (BT-160). */
    name: Type.String({ minLength: 1, maxLength: 255 }),
    /** Item attribute value (BT-161). */
    value: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);
export type ItemAttribute = Static<typeof ItemAttributeSchema>;

/** One invoice line (BG-25). In gross price mode `unitPrice`, `grossUnitPrice` and amounts include VAT. */
export const LineInputSchema = Type.Object(
  {
    productId: Type.Optional(IdSchema),
    description: Type.String({ minLength: 1, maxLength: 2000 }),
    /** Invoiced quantity (BT-129); negative on correction lines. */
    quantity: DecimalStringSchema,
    unitCode: UnitCodeSchema,
    /** Item net price (BT-146), up to 6 decimals; never negative (BR-27). */
    unitPrice: NonNegativeDecimalStringSchema,
    /** Item price base quantity (BT-149), e.g. "100" for a price per 100 units; defaults to 1. */
    priceBaseQuantity: Type.Optional(NonNegativeDecimalStringSchema),
    /** Item gross price before the price discount (BT-148); the discount (BT-147) is this minus unitPrice. */
    grossUnitPrice: Type.Optional(NonNegativeDecimalStringSchema),
    allowances: Type.Optional(Type.Array(LineAllowanceChargeSchema, { maxItems: 20 })),
    charges: Type.Optional(Type.Array(LineAllowanceChargeSchema, { maxItems: 20 })),
    vatCategory: VatCategorySchema,
    /** Required for S, L, M; 0 or absent for Z, E, AE, K, G; absent for O. */
    vatRate: Type.Optional(RateSchema),
    /** Required for E, AE, K, G and O (BR-E-10 ...), forbidden for S, Z, L, M (BR-S-10 ...). */
    vatExemptionReason: Type.Optional(ReasonSchema),
    /** VATEX code (BT-121), an alternative to the text. */
    vatExemptionReasonCode: Type.Optional(Type.String({ maxLength: 30 })),
    taxes: Type.Optional(Type.Array(TaxSchema, { maxItems: 4 })),
    /**
     * Item attributes (BG-32). A line naming a product that leaves them out takes the product's
     * attributes marked "shown on invoices"; an empty list prints none.
     */
    attributes: Type.Optional(Type.Array(ItemAttributeSchema, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type LineInput = Static<typeof LineInputSchema>;

/**
 * Everything the money engine needs to price a document. `lines` may be empty in the schema so that the
 * engine can answer with its own `EMPTY_LINES` code. `cashRoundingIncrement` asks for the amount due to
 * be rounded (e.g. "0.05" for Swiss francs in cash); `"currency"` uses the currency's customary cash
 * increment, if it has one. The difference lands in `totals.rounding` (BT-114).
 */
export const DocumentPricingInputSchema = Type.Object(
  {
    currency: CurrencyCodeSchema,
    priceMode: Type.Optional(PriceModeSchema),
    lines: Type.Array(LineInputSchema, { maxItems: 5000 }),
    allowances: Type.Optional(Type.Array(AllowanceChargeSchema, { maxItems: 50 })),
    charges: Type.Optional(Type.Array(AllowanceChargeSchema, { maxItems: 50 })),
    /** Paid amount (BT-113) already received before this document. */
    prepaid: Type.Optional(NonNegativeDecimalStringSchema),
    cashRoundingIncrement: Type.Optional(
      Type.Union([NonNegativeDecimalStringSchema, Type.Literal('currency')]),
    ),
  },
  { additionalProperties: false },
);
export type DocumentPricingInput = Static<typeof DocumentPricingInputSchema>;

/** A rate as computed ("19.00", "9.975"); absent for category O, which has no rate (BR-O-05, BR-48). */
const ResultRateSchema = Type.Optional(DecimalStringSchema);

/** A stacked tax as applied to an item. */
export const AppliedTaxSchema = Type.Object({
  scheme: Type.String(),
  category: VatCategorySchema,
  rate: ResultRateSchema,
});
export type AppliedTax = Static<typeof AppliedTaxSchema>;

/** A computed line allowance or charge (BG-27/BG-28), signed like its line and in the document's price mode. */
export const AllowanceChargeResultSchema = Type.Object({
  amount: DecimalStringSchema,
  base: Type.Optional(DecimalStringSchema),
  percent: Type.Optional(DecimalStringSchema),
  reason: Type.Optional(Type.String()),
  reasonCode: Type.Optional(Type.String()),
});
export type AllowanceChargeResult = Static<typeof AllowanceChargeResultSchema>;

/**
 * A computed document-level allowance or charge. `amount` is always net (BT-92/BT-99); in gross price mode
 * `base` is as entered (VAT included) and `grossAmount` is the entered amount.
 */
export const DocumentAllowanceChargeResultSchema = Type.Object({
  ...AllowanceChargeResultSchema.properties,
  vatCategory: VatCategorySchema,
  vatRate: ResultRateSchema,
  taxes: Type.Array(AppliedTaxSchema),
  /** Gross price mode only: the amount as entered, VAT included. */
  grossAmount: Type.Optional(DecimalStringSchema),
});
export type DocumentAllowanceChargeResult = Static<typeof DocumentAllowanceChargeResultSchema>;

/** A priced line. */
export const LineResultSchema = Type.Object({
  /** quantity × unit price ÷ price base quantity, rounded; in the document's price mode. */
  amount: DecimalStringSchema,
  allowances: Type.Array(AllowanceChargeResultSchema),
  charges: Type.Array(AllowanceChargeResultSchema),
  /** Invoice line net amount (BT-131). */
  net: DecimalStringSchema,
  /** Gross price mode only: the line amount including VAT, as entered. */
  gross: Type.Optional(DecimalStringSchema),
  /** Item net price (BT-146); derived from the tax-inclusive price in gross mode. */
  netUnitPrice: DecimalStringSchema,
  /** Item price discount (BT-147) when a gross unit price (BT-148) was given. */
  priceDiscount: Type.Optional(DecimalStringSchema),
  vatCategory: VatCategorySchema,
  vatRate: ResultRateSchema,
  taxes: Type.Array(AppliedTaxSchema),
});
export type LineResult = Static<typeof LineResultSchema>;

/** One VAT breakdown group (BG-23): one per category and rate, VAT rounded once per group. */
export const VatBreakdownSchema = Type.Object({
  category: VatCategorySchema,
  rate: ResultRateSchema,
  /** VAT category taxable amount (BT-116). */
  taxable: DecimalStringSchema,
  /** VAT category tax amount (BT-117) = taxable × rate ÷ 100, rounded half away from zero. */
  tax: DecimalStringSchema,
  exemptionReason: Type.Optional(Type.String()),
  exemptionReasonCode: Type.Optional(Type.String()),
});
export type VatBreakdown = Static<typeof VatBreakdownSchema>;

/** One group of a stacked (non-VAT) tax, rounded once per (scheme, category, rate). */
export const TaxBreakdownSchema = Type.Object({
  scheme: Type.String(),
  category: VatCategorySchema,
  rate: ResultRateSchema,
  taxable: DecimalStringSchema,
  tax: DecimalStringSchema,
  exemptionReason: Type.Optional(Type.String()),
});
export type TaxBreakdown = Static<typeof TaxBreakdownSchema>;

/** Document totals (BG-22), each fixed to the currency's minor unit. */
export const TotalsSchema = Type.Object({
  /** Sum of invoice line net amounts (BT-106). */
  lineNet: DecimalStringSchema,
  /** Sum of document-level allowances (BT-107). */
  allowances: DecimalStringSchema,
  /** Sum of document-level charges (BT-108). */
  charges: DecimalStringSchema,
  /** Total without VAT (BT-109). */
  net: DecimalStringSchema,
  /** Total VAT (BT-110). */
  vat: DecimalStringSchema,
  /** Sum of stacked non-VAT taxes ("0.00" in the EN 16931 case). */
  otherTax: DecimalStringSchema,
  /** Total with tax (BT-112) = net + vat + otherTax. */
  gross: DecimalStringSchema,
  /** Paid amount (BT-113). */
  prepaid: DecimalStringSchema,
  /** Rounding amount (BT-114): cash rounding and the gross-mode residual cent. */
  rounding: DecimalStringSchema,
  /** Amount due for payment (BT-115) = gross − prepaid + rounding. */
  due: DecimalStringSchema,
});
export type Totals = Static<typeof TotalsSchema>;

/** What the money engine returns for a document. */
export const DocumentPricingResultSchema = Type.Object({
  currency: CurrencyCodeSchema,
  priceMode: PriceModeSchema,
  lines: Type.Array(LineResultSchema),
  allowances: Type.Array(DocumentAllowanceChargeResultSchema),
  charges: Type.Array(DocumentAllowanceChargeResultSchema),
  totals: TotalsSchema,
  vatBreakdown: Type.Array(VatBreakdownSchema),
  taxBreakdown: Type.Array(TaxBreakdownSchema),
});
export type DocumentPricingResult = Static<typeof DocumentPricingResultSchema>;
