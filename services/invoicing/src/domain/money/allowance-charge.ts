/**
 * Allowances and charges, on lines (BG-27/BG-28) and on the document (BG-20/BG-21). Each is a fixed amount
 * or a percentage of a base: amount = base × percent ÷ 100, rounded to the minor unit (BT-136 = BT-137 ×
 * BT-138 ÷ 100). Amounts are magnitudes that take the sign of what they apply to, so an allowance always
 * moves toward zero and a negated (correction) item mirrors the original exactly.
 */
import type { AllowanceCharge, FieldError, LineAllowanceCharge } from '@invoice/contracts';
import {
  addError,
  Dec,
  fitsRange,
  HUNDRED,
  MAX_INPUT_DECIMALS,
  parseDecimal,
  PERCENT,
  round,
  sum,
  ZERO,
} from './decimal.ts';
import { resolveItemTaxes, type TaxCache } from './item-taxes.ts';
import type { ResolvedTax } from './vat.ts';

/** What every pricing step needs. */
export interface PricingContext {
  minorUnits: number;
  priceMode: 'net' | 'gross';
  errors: FieldError[];
  taxCache: TaxCache;
}

/** A computed allowance or charge; `amount` and `base` are signed like the item they apply to. */
export interface PricedAllowanceCharge {
  amount: Dec;
  base: Dec | undefined;
  percent: Dec | undefined;
  reason: string | undefined;
  reasonCode: string | undefined;
}

/** A document-level allowance or charge with its taxes; `amount` is in the price mode, `net` always net. */
export interface PricedDocumentAllowanceCharge extends PricedAllowanceCharge {
  taxes: ResolvedTax[];
  net: Dec;
}

export type AllowanceOrCharge = 'allowance' | 'charge';

/** Type guard for filtering out items that failed validation. */
export function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/**
 * How far a stated amount may be from base × percent ÷ 100 (PEPPOL-EN16931-R040, adopted by XRechnung:
 * 0.02), or half a minor unit where that is more (currencies without cents round to whole units).
 */
function amountTolerance(minorUnits: number): Dec {
  const halfUnit = new Dec(10).pow(-minorUnits).div(2);
  return Dec.max(new Dec('0.02'), halfUnit);
}

/**
 * Prices one allowance or charge. `defaultBase` is the magnitude a percentage applies to when no `base`
 * is given (undefined: a base is required); `sign` is the sign of the item it applies to.
 *
 * Give `amount`, or `percent` (with an optional `base`), or all of them as real invoices do (every UBL
 * and CII file and the official EN 16931 examples state BT-92 with BT-93 and BT-94): the stated amount
 * is then used as it is, after checking that it agrees with base × percent ÷ 100 within
 * {@link amountTolerance} (ALLOWANCE_AMOUNT_MISMATCH otherwise). With `signed` (document level), an
 * amount and base may be negative where the lines they apply to are (a correction invoice states its
 * allowances and charges with the lines' sign, as EN 16931 allows): they are then taken as written.
 */
export function priceAllowanceCharge(
  input: LineAllowanceCharge,
  at: string,
  kind: AllowanceOrCharge,
  defaultBase: Dec | undefined,
  sign: 1 | -1,
  ctx: PricingContext,
  signed = false,
): PricedAllowanceCharge | undefined {
  const { errors, minorUnits } = ctx;
  const amountRule = { maxDecimals: minorUnits, sign: signed ? 'any' : 'nonNegative' } as const;
  if (input.amount === undefined && input.percent === undefined) {
    addError(errors, 'VALIDATION_FAILED', at, 'give an amount, a percent, or both with their base');
    return undefined;
  }
  if (input.base !== undefined && input.percent === undefined) {
    addError(errors, 'VALIDATION_FAILED', `${at}/base`, 'is only used with percent');
    return undefined;
  }
  let stated: Dec | undefined;
  let base: Dec | undefined;
  let percent: Dec | undefined;
  if (input.amount !== undefined) {
    stated = magnitudeOf(
      parseDecimal(input.amount, `${at}/amount`, errors, amountRule),
      `${at}/amount`,
      sign,
      ctx,
    );
    if (!stated) return undefined;
  }
  let magnitude = stated;
  if (input.percent !== undefined) {
    const rule = { maxDecimals: MAX_INPUT_DECIMALS, sign: 'nonNegative' } as const;
    percent = parseDecimal(input.percent, `${at}/percent`, errors, rule);
    base =
      input.base === undefined
        ? defaultBase
        : magnitudeOf(parseDecimal(input.base, `${at}/base`, errors, amountRule), `${at}/base`, sign, ctx);
    if (input.base === undefined && defaultBase === undefined && stated === undefined) {
      addError(
        errors,
        'VALIDATION_FAILED',
        `${at}/base`,
        'is required: no line shares this VAT category and rate',
      );
    }
    if (percent && kind === 'allowance' && percent.gt(HUNDRED)) {
      addError(errors, 'ALLOWANCE_EXCEEDS_BASE', `${at}/percent`, 'must be at most 100 for an allowance');
      return undefined;
    }
    const exact = percent && base ? base.times(percent).times(PERCENT) : undefined;
    if (stated && exact && stated.minus(exact).abs().gt(amountTolerance(minorUnits))) {
      const message = `${stated.toFixed()} does not agree with base × percent ÷ 100 = ${round(exact, minorUnits).toFixed()}`;
      addError(errors, 'ALLOWANCE_AMOUNT_MISMATCH', `${at}/amount`, message);
      return undefined;
    }
    magnitude ??= exact && round(exact, minorUnits);
  }
  if (!magnitude) return undefined;
  if (!fitsRange(magnitude)) {
    addError(errors, 'AMOUNT_OUT_OF_RANGE', at, 'the amount must have at most 15 integer digits');
    return undefined;
  }
  return {
    amount: sign < 0 ? magnitude.neg() : magnitude,
    base: base && sign < 0 ? base.neg() : base,
    percent,
    reason: input.reason,
    reasonCode: input.reasonCode,
  };
}

/**
 * The magnitude of a stated amount or base: negative values are accepted only where the item they apply
 * to is negative (a correction's allowance carries the lines' sign), and mean the same as their magnitude.
 */
function magnitudeOf(
  value: Dec | undefined,
  field: string,
  sign: 1 | -1,
  ctx: PricingContext,
): Dec | undefined {
  if (!value || !value.isNegative() || value.isZero()) return value;
  if (sign < 0) return value.abs();
  addError(
    ctx.errors,
    'AMOUNT_OUT_OF_RANGE',
    field,
    'may be negative only where the lines of its VAT category and rate are (a correction invoice)',
  );
  return undefined;
}

/** The line amounts the document level works from: each line's VAT key and amount after line allowances. */
export interface LineForDocumentLevel {
  vatKey: string;
  entered: Dec;
}

function priceDocumentList(
  inputs: readonly AllowanceCharge[],
  kind: AllowanceOrCharge,
  lineSums: ReadonlyMap<string, Dec>,
  ctx: PricingContext,
): (PricedDocumentAllowanceCharge | undefined)[] {
  const list = kind === 'allowance' ? 'allowances' : 'charges';
  return inputs.map((input, j) => {
    const at = `/${list}/${j}`;
    const taxes = resolveItemTaxes(input, at, kind, ctx.errors);
    if (ctx.priceMode === 'gross' && input.taxes?.length) {
      addError(ctx.errors, 'VALIDATION_FAILED', `${at}/taxes`, 'stacked taxes need priceMode "net"');
      return undefined;
    }
    if (!taxes?.[0]) return undefined;
    const groupSum = lineSums.get(taxes[0].key);
    const sign = groupSum?.isNegative() ? -1 : 1;
    const priced = priceAllowanceCharge(input, at, kind, groupSum?.abs(), sign, ctx, true);
    return priced && { ...priced, taxes, net: priced.amount };
  });
}

/**
 * Prices the document-level allowances and charges. A percentage without a base applies to the sum of
 * the line amounts with the same VAT category and rate (BR-S-08 groups them the same way); fixed amounts
 * take that sum's sign. Allowances of a group may not exceed its lines plus its charges.
 */
export function priceDocumentLevel(
  input: {
    allowances?: readonly AllowanceCharge[] | undefined;
    charges?: readonly AllowanceCharge[] | undefined;
  },
  lines: readonly LineForDocumentLevel[],
  ctx: PricingContext,
): { allowances: PricedDocumentAllowanceCharge[]; charges: PricedDocumentAllowanceCharge[] } | undefined {
  const lineSums = new Map<string, Dec>();
  for (const line of lines) lineSums.set(line.vatKey, (lineSums.get(line.vatKey) ?? ZERO).plus(line.entered));
  const allowances = priceDocumentList(input.allowances ?? [], 'allowance', lineSums, ctx);
  const charges = priceDocumentList(input.charges ?? [], 'charge', lineSums, ctx);
  if (!allowances.every(isDefined) || !charges.every(isDefined)) return undefined;
  const keys = new Set(allowances.map((a) => a.taxes[0]?.key ?? ''));
  for (const key of keys) {
    const inGroup = (item: PricedDocumentAllowanceCharge) => item.taxes[0]?.key === key;
    const allowed = (lineSums.get(key) ?? ZERO).plus(sum(charges.filter(inGroup).map((c) => c.amount)));
    const taken = sum(allowances.filter(inGroup).map((a) => a.amount));
    if (taken.abs().gt(allowed.abs())) {
      const first = allowances.findIndex(inGroup);
      const message = `exceed the lines and charges of their VAT category and rate (${allowed.toFixed()})`;
      addError(ctx.errors, 'ALLOWANCE_EXCEEDS_BASE', `/allowances/${first}`, message);
    }
  }
  return { allowances, charges };
}
