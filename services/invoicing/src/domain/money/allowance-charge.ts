/**
 * Allowances and charges, on lines (BG-27/BG-28) and on the document (BG-20/BG-21). Each is a fixed amount
 * or a percentage of a base: amount = base × percent ÷ 100, rounded to the minor unit (BT-136 = BT-137 ×
 * BT-138 ÷ 100). Amounts are magnitudes that take the sign of what they apply to, so an allowance always
 * moves toward zero and a negated (correction) item mirrors the original exactly.
 */
import type { AllowanceCharge, FieldError, LineAllowanceCharge } from '@invoice/contracts';
import type { Dec } from './decimal.ts';
import {
  addError,
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
 * Prices one allowance or charge. `defaultBase` is the magnitude a percentage applies to when no `base`
 * is given (undefined: a base is required); `sign` is the sign of the item it applies to.
 */
export function priceAllowanceCharge(
  input: LineAllowanceCharge,
  at: string,
  kind: AllowanceOrCharge,
  defaultBase: Dec | undefined,
  sign: 1 | -1,
  ctx: PricingContext,
): PricedAllowanceCharge | undefined {
  const { errors, minorUnits } = ctx;
  const amountRule = { maxDecimals: minorUnits, sign: 'nonNegative' } as const;
  if ((input.amount === undefined) === (input.percent === undefined)) {
    addError(errors, 'VALIDATION_FAILED', at, 'give either amount or percent');
    return undefined;
  }
  if (input.base !== undefined && input.percent === undefined) {
    addError(errors, 'VALIDATION_FAILED', `${at}/base`, 'is only used with percent');
    return undefined;
  }
  let magnitude: Dec | undefined;
  let base: Dec | undefined;
  let percent: Dec | undefined;
  if (input.amount !== undefined) {
    magnitude = parseDecimal(input.amount, `${at}/amount`, errors, amountRule);
  } else {
    const rule = { maxDecimals: MAX_INPUT_DECIMALS, sign: 'nonNegative' } as const;
    percent = parseDecimal(input.percent, `${at}/percent`, errors, rule);
    base =
      input.base === undefined ? defaultBase : parseDecimal(input.base, `${at}/base`, errors, amountRule);
    if (input.base === undefined && defaultBase === undefined) {
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
    if (percent && base) magnitude = round(base.times(percent).times(PERCENT), minorUnits);
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
    const priced = priceAllowanceCharge(input, at, kind, groupSum?.abs(), sign, ctx);
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
