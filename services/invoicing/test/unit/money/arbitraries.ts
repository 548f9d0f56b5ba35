/** fast-check generators of valid documents for the money engine's property tests. */
import fc from 'fast-check';
import type { AllowanceCharge, DocumentPricingInput, LineInput } from '@invoice/contracts';

/** Writes `units` ÷ 10^decimals as a decimal string ("-12.345"). */
export function scaled(units: number, decimals: number): string {
  const digits = String(Math.abs(units)).padStart(decimals + 1, '0');
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return units < 0 ? `-${text}` : text;
}

const decimal = (min: number, max: number, decimals: number) =>
  fc.integer({ min, max }).map((units) => scaled(units, decimals));

/** VAT choices covering rated, zero-rated, exempt, reverse-charge, outside-scope and IGIC lines. */
const VAT_CHOICES = [
  { vatCategory: 'S', vatRate: '19' },
  { vatCategory: 'S', vatRate: '7' },
  { vatCategory: 'S', vatRate: '5.5' },
  { vatCategory: 'S', vatRate: '21' },
  { vatCategory: 'S', vatRate: '8.1' },
  { vatCategory: 'Z', vatRate: '0' },
  { vatCategory: 'E', vatExemptionReason: 'Exempt under Art. 132' },
  { vatCategory: 'AE', vatExemptionReasonCode: 'VATEX-EU-AE' },
  { vatCategory: 'O', vatExemptionReason: 'Outside the scope of VAT' },
  { vatCategory: 'L', vatRate: '7' },
] as const satisfies readonly Pick<
  LineInput,
  'vatCategory' | 'vatRate' | 'vatExemptionReason' | 'vatExemptionReasonCode'
>[];

export type VatChoice = (typeof VAT_CHOICES)[number];
const vatChoice = fc.constantFrom(...VAT_CHOICES);

export interface LineOptions {
  /** Only quantities above zero (for the mirror property). */
  positive?: boolean;
  /** Leave out line allowances and charges (for the split property). */
  plain?: boolean;
}

/** A valid line; stacked QST only when `stacked` is allowed (net price mode). */
export function lineArb(stacked: boolean, options: LineOptions = {}): fc.Arbitrary<LineInput> {
  const quantity = fc.oneof(
    options.positive
      ? fc.integer({ min: 1, max: 200 }).map(String)
      : fc.integer({ min: -20, max: 200 }).map(String),
    decimal(options.positive ? 1 : -20_000, 2_000_000, 3),
  );
  return fc
    .record({
      quantity,
      unitPrice: fc.oneof(decimal(0, 10_000_000, 2), decimal(0, 100_000_000, 4)),
      priceBaseQuantity: fc.option(fc.constantFrom('1', '3', '10', '100'), { nil: undefined }),
      vat: vatChoice,
      allowancePercent: fc.option(decimal(0, 10_000, 2), { nil: undefined }),
      chargeAmount: fc.option(fc.integer({ min: 0, max: 50 }).map(String), { nil: undefined }),
      qst: fc.boolean(),
    })
    .map((r) => ({
      description: 'Item',
      quantity: r.quantity,
      unitCode: 'C62',
      unitPrice: r.unitPrice,
      ...(r.priceBaseQuantity ? { priceBaseQuantity: r.priceBaseQuantity } : {}),
      ...r.vat,
      ...(r.allowancePercent && !options.plain ? { allowances: [{ percent: r.allowancePercent }] } : {}),
      ...(r.chargeAmount && !options.plain ? { charges: [{ amount: r.chargeAmount }] } : {}),
      ...(stacked && r.qst ? { taxes: [{ scheme: 'QST', rate: '9.975' }] } : {}),
    }));
}

export interface DocOptions extends LineOptions {
  priceMode?: 'net' | 'gross';
  /** Leave out document allowances/charges, prepaid and cash rounding. */
  linesOnly?: boolean;
}

/** A valid document: 1–25 lines, maybe one document allowance (on the first line's group) and one charge. */
export function docArb(options: DocOptions = {}): fc.Arbitrary<DocumentPricingInput> {
  const priceMode = options.priceMode
    ? fc.constant(options.priceMode)
    : fc.constantFrom('net' as const, 'gross' as const);
  return priceMode.chain((mode) =>
    fc
      .record({
        currency: fc.constantFrom('EUR', 'JPY', 'BHD', 'CHF', 'CAD'),
        lines: fc.array(lineArb(mode === 'net', options), { minLength: 1, maxLength: 25 }),
        allowancePercent: fc.option(decimal(0, 5_000, 2), { nil: undefined }),
        charge: fc.option(
          fc.record({ amount: fc.integer({ min: 0, max: 100 }).map(String), vat: vatChoice }),
          {
            nil: undefined,
          },
        ),
        prepaid: fc.option(fc.integer({ min: 0, max: 1000 }).map(String), { nil: undefined }),
        cashRounding: fc.boolean(),
      })
      .map((r): DocumentPricingInput => {
        const first = r.lines[0] as LineInput;
        const allowance: AllowanceCharge | undefined = r.allowancePercent
          ? {
              percent: r.allowancePercent,
              vatCategory: first.vatCategory,
              ...(first.vatRate ? { vatRate: first.vatRate } : {}),
              ...(first.taxes ? { taxes: first.taxes } : {}),
            }
          : undefined;
        const extras = options.linesOnly
          ? {}
          : {
              ...(allowance ? { allowances: [allowance] } : {}),
              ...(r.charge ? { charges: [{ amount: r.charge.amount, ...r.charge.vat }] } : {}),
              ...(r.prepaid ? { prepaid: r.prepaid } : {}),
              ...(r.cashRounding ? { cashRoundingIncrement: 'currency' as const } : {}),
            };
        return { currency: r.currency, priceMode: mode, lines: r.lines, ...extras };
      }),
  );
}
