/**
 * The single entry point of the money engine: prices a document (invoice, credit note, quote) the way
 * EN 16931 checks it. Pure and deterministic: the same input gives the same strings, whatever the line order.
 */
import {
  AppError,
  type DocumentPricingInput,
  type DocumentPricingResult,
  type FieldError,
} from '@invoice/contracts';
import {
  isDefined,
  priceDocumentLevel,
  type PricedDocumentAllowanceCharge,
  type PricingContext,
} from './allowance-charge.ts';
import {
  aggregateByTaxes,
  buildTaxGroups,
  sumNetsByTaxes,
  type TaxableItem,
  type TaxGroup,
} from './breakdown.ts';
import { currencyInfo, type CurrencyInfo } from './currency.ts';
import { type Dec, fitsRange, fixed, parseDecimal, round, sum, throwIfErrors, ZERO } from './decimal.ts';
import { deriveNetsFromGross } from './gross-mode.ts';
import { priceLine, type PricedLine } from './line.ts';
import { breakdownResults, documentAllowanceChargeResult, lineResult } from './result.ts';
import { VAT } from './vat.ts';

/** Options of {@link computeTotals}. */
export interface ComputeTotalsOptions {
  /** Price a document without lines (an empty draft) instead of throwing EMPTY_LINES. */
  allowEmptyLines?: boolean;
}

/** The paid amount (BT-113) and the cash-rounding increment, if one was asked for. */
interface Payment {
  prepaid: Dec;
  increment: Dec | undefined;
}

function parsePayment(input: DocumentPricingInput, currency: CurrencyInfo, errors: FieldError[]): Payment {
  const rule = { maxDecimals: currency.minorUnits, sign: 'nonNegative' } as const;
  const prepaid = input.prepaid === undefined ? ZERO : parseDecimal(input.prepaid, '/prepaid', errors, rule);
  const requested =
    input.cashRoundingIncrement === 'currency' ? currency.cashIncrement : input.cashRoundingIncrement;
  // The increment must be a whole number of minor units (maxDecimals) and positive.
  const increment =
    requested === undefined
      ? undefined
      : parseDecimal(requested, '/cashRoundingIncrement', errors, {
          maxDecimals: currency.minorUnits,
          sign: 'positive',
        });
  return { prepaid: prepaid ?? ZERO, increment };
}

/** Rounds half away from zero to a multiple of `increment` (cash rounding, e.g. CHF 0.05). */
function roundToIncrement(value: Dec, increment: Dec): Dec {
  return round(value.div(increment), 0).times(increment);
}

/** Everything priced, with nets known: lines, document allowances/charges and their taxable items. */
interface PricedDocument {
  lines: PricedLine[];
  allowances: PricedDocumentAllowanceCharge[];
  charges: PricedDocumentAllowanceCharge[];
  /** Line nets added up per set of taxes (see aggregateByTaxes). */
  lineGroups: TaxableItem[];
  /** The document allowances (negative) and charges as taxable items. */
  acItems: TaxableItem[];
}

/** Prices lines and document-level allowances/charges; in gross mode derives every net (gross-mode.ts). */
function priceDocument(input: DocumentPricingInput, ctx: PricingContext): PricedDocument {
  const lines = input.lines.map((line, i) => priceLine(line, i, ctx)).filter(isDefined);
  throwIfErrors(ctx.errors);
  const lineItems = lines.map((line): TaxableItem => ({
    taxes: line.taxes,
    entered: line.entered,
    net: line.net,
  }));
  const lineGroups = aggregateByTaxes(lineItems);
  const vatSums = lineGroups.map((group) => ({ vatKey: group.taxes[0]?.key ?? '', entered: group.entered }));
  const documentLevel = priceDocumentLevel(input, vatSums, ctx);
  throwIfErrors(ctx.errors);
  if (!documentLevel) throw new AppError('INTERNAL'); // unreachable: undefined only with errors thrown above
  const { allowances, charges } = documentLevel;
  const acItems: TaxableItem[] = [
    ...allowances.map((a) => ({ taxes: a.taxes, entered: a.amount.neg(), net: a.amount.neg() })),
    ...charges.map((c) => ({ taxes: c.taxes, entered: c.amount, net: c.amount })),
  ];
  if (ctx.priceMode === 'net') return { lines, allowances, charges, lineGroups, acItems };

  deriveNetsFromGross([...lineItems, ...acItems], [...lineGroups, ...acItems], ctx.minorUnits);
  lines.forEach((line, i) => {
    line.net = (lineItems[i] as TaxableItem).net;
  });
  allowances.forEach((a, j) => {
    a.net = (acItems[j] as TaxableItem).net.neg();
  });
  charges.forEach((c, k) => {
    c.net = (acItems[allowances.length + k] as TaxableItem).net;
  });
  sumNetsByTaxes(lineItems, lineGroups);
  return { lines, allowances, charges, lineGroups, acItems };
}

/** The totals (BG-22) as decimals; each BR-CO rule is the line that computes its term. */
function summarize(priced: PricedDocument, groups: readonly TaxGroup[], payment: Payment, gross: boolean) {
  const lineNet = sum(priced.lineGroups.map((item) => item.net)); // BR-CO-10
  const allowances = sum(priced.allowances.map((a) => a.net)); // BR-CO-11
  const charges = sum(priced.charges.map((c) => c.net)); // BR-CO-12
  const net = lineNet.minus(allowances).plus(charges); // BR-CO-13
  const vat = sum(groups.filter((g) => g.scheme === VAT).map((g) => g.tax)); // BR-CO-14
  const otherTax = sum(groups.filter((g) => g.scheme !== VAT).map((g) => g.tax));
  const total = net.plus(vat).plus(otherTax); // BR-CO-15, extended by stacked taxes
  // Gross mode: the entered tax-inclusive total is what the buyer pays; the residual goes to BT-114.
  const entered = () => sum([...priced.lineGroups, ...priced.acItems].map((item) => item.entered));
  const payable = (gross ? entered() : total).minus(payment.prepaid);
  const due = payment.increment ? roundToIncrement(payable, payment.increment) : payable;
  const rounding = due.minus(total.minus(payment.prepaid)); // BR-CO-16: due = gross − prepaid + rounding
  return {
    lineNet,
    allowances,
    charges,
    net,
    vat,
    otherTax,
    gross: total,
    prepaid: payment.prepaid,
    rounding,
    due,
  };
}

/**
 * Computes every line net, document-level allowance and charge, the VAT and stacked-tax breakdowns and the
 * totals (BG-22). Throws AppError with field errors (JSON pointers into the input) when the input breaks a
 * rule; otherwise BR-CO-10..17 and BR-S/Z/E/AE-08/-09 hold by construction (see assertEn16931Invariants).
 */
export function computeTotals(
  input: DocumentPricingInput,
  options: ComputeTotalsOptions = {},
): DocumentPricingResult {
  const currency = currencyInfo(input.currency);
  const { minorUnits } = currency;
  const gross = input.priceMode === 'gross';
  if (input.lines.length === 0 && !options.allowEmptyLines) {
    throw AppError.field('EMPTY_LINES', '/lines', 'must contain at least one line');
  }
  const ctx: PricingContext = {
    minorUnits,
    priceMode: gross ? 'gross' : 'net',
    errors: [],
    taxCache: new Map(),
  };
  const payment = parsePayment(input, currency, ctx.errors);
  const priced = priceDocument(input, ctx);
  const groups = buildTaxGroups([...priced.lineGroups, ...priced.acItems], minorUnits, ctx.errors);
  throwIfErrors(ctx.errors);
  const totals = summarize(priced, groups, payment, gross);
  const amounts = [...Object.values(totals), ...groups.flatMap((g) => [g.taxable, g.tax])];
  if (!amounts.every(fitsRange)) {
    throw AppError.field(
      'AMOUNT_OUT_OF_RANGE',
      '/lines',
      'the document totals must have at most 15 integer digits',
    );
  }
  const money = (value: Dec) => fixed(value, minorUnits);
  return {
    currency: currency.code,
    priceMode: gross ? 'gross' : 'net',
    lines: priced.lines.map((line) => lineResult(line, minorUnits, gross)),
    allowances: priced.allowances.map((a) => documentAllowanceChargeResult(a, minorUnits, gross)),
    charges: priced.charges.map((c) => documentAllowanceChargeResult(c, minorUnits, gross)),
    totals: {
      lineNet: money(totals.lineNet),
      allowances: money(totals.allowances),
      charges: money(totals.charges),
      net: money(totals.net),
      vat: money(totals.vat),
      otherTax: money(totals.otherTax),
      gross: money(totals.gross),
      prepaid: money(totals.prepaid),
      rounding: money(totals.rounding),
      due: money(totals.due),
    },
    ...breakdownResults(groups, minorUnits),
  };
}
